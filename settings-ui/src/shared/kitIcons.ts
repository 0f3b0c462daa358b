// The kit's icon dictionary, cut to the entries its components on these pages read (Alert, Badge
// and Modal: close; Button: chevronDown and loading; Checkbox: check and minus; Input and
// Textarea: loading). The kit's own dictionary also imports icons for its theme switcher, prose,
// page and AI pieces, which the pages never show; vite.config.ts points the kit's components here.
// A kit component newly used that reads another entry gets it added here.
import CheckLIcon from '@bitrix24/b24icons-vue/outline/CheckLIcon'
import ChevronDownLIcon from '@bitrix24/b24icons-vue/outline/ChevronDownLIcon'
import CrossMIcon from '@bitrix24/b24icons-vue/outline/CrossMIcon'
import Minus30Icon from '@bitrix24/b24icons-vue/actions/Minus30Icon'
import LoaderWaitIcon from '@bitrix24/b24icons-vue/animated/LoaderWaitIcon'

export default {
  check: CheckLIcon,
  chevronDown: ChevronDownLIcon,
  close: CrossMIcon,
  loading: LoaderWaitIcon,
  minus: Minus30Icon
}
