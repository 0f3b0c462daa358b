// Texts of «Скрипты» (the list; the designer's are in designer/designer.messages.ts).
const ru = {
  scripts: {
    title: 'Скрипты',
    intro: 'Скрипты разговора для вкладки «Скрипт» карточки звонка. Операторы работают по опубликованной версии; правки черновика не видны им до публикации.',
    empty: 'Скриптов пока нет. Создайте первый или импортируйте готовый из файла.',
    col: { name: 'Название', state: 'Версии', actions: '' },
    draft: 'Черновик, правка {version}',
    published: 'Опубликована версия {version}',
    not_published: 'Не опубликован',
    create_title: 'Новый скрипт',
    name: 'Название',
    description: 'Описание',
    create: 'Создать скрипт',
    open: 'Открыть редактор',
    rename: 'Переименовать',
    publish: 'Опубликовать',
    published_now: 'Опубликована версия {version}.',
    duplicate: 'Дублировать',
    export: 'Экспорт',
    export_published: 'Экспорт версии {version}',
    import: 'Импорт из файла',
    imported: 'Импортирован скрипт «{name}» (черновик).',
    import_problem: {
      not_json: 'Файл не является JSON: {detail}',
      not_object: 'В файле должен быть один объект скрипта opdesk.',
      format: 'Это не файл экспорта скрипта opdesk: поле «{field}» должно быть «opdesk.script».',
      field: 'В файле нет поля «{field}» или оно пустое.',
      server: 'Файл не импортирован — ничего не создано. Поле «{field}»: {message}'
    },
    entity: { lead: 'Лид', deal: 'Сделка', contact: 'Контакт', company: 'Компания' },
    settings: {
      open: 'Настройки скрипта',
      title: 'Настройки скрипта «{name}»',
      description: 'Карточка звонка сама откроет скрипт, который подходит звонку: по типу звонка и типу сделки.',
      call_type: 'Тип звонка',
      call_types: { any: 'Любой', incoming: 'Входящий', outgoing: 'Исходящий' },
      activity_type: 'Тип активности',
      deal_type: 'Тип сделки',
      none: 'Не выбран',
      any_deal: 'Любой',
      number_field: 'Сохранять набранный номер в поле',
      number_field_hint: 'Строковое поле контакта или сделки; номер звонка запишется в него один раз за звонок.',
      no_number_field: 'Не сохранять',
      no_catalog: 'Справочники CRM не загрузились: {message}',
      close: 'Готово',
      summary_any: 'Любой звонок',
      summary_incoming: 'Входящие',
      summary_outgoing: 'Исходящие'
    }
  }
}

const en: typeof ru = {
  scripts: {
    title: 'Scripts',
    intro: 'Call scripts for the call card’s Script tab. Operators run the published version; draft edits stay unseen until published.',
    empty: 'No scripts yet. Create the first one or import one from a file.',
    col: { name: 'Name', state: 'Versions', actions: '' },
    draft: 'Draft, edit {version}',
    published: 'Published version {version}',
    not_published: 'Not published',
    create_title: 'New script',
    name: 'Name',
    description: 'Description',
    create: 'Create a script',
    open: 'Open the editor',
    rename: 'Rename',
    publish: 'Publish',
    published_now: 'Version {version} is published.',
    duplicate: 'Duplicate',
    export: 'Export',
    export_published: 'Export version {version}',
    import: 'Import from a file',
    imported: 'Imported the script “{name}” (a draft).',
    import_problem: {
      not_json: 'The file is not JSON: {detail}',
      not_object: 'The file must hold one opdesk script object.',
      format: 'This is not an opdesk script export: the field “{field}” must be “opdesk.script”.',
      field: 'The file lacks the field “{field}” or it is empty.',
      server: 'The file was not imported; nothing was created. Field “{field}”: {message}'
    },
    entity: { lead: 'Lead', deal: 'Deal', contact: 'Contact', company: 'Company' },
    settings: {
      open: 'Script settings',
      title: 'Settings of the script “{name}”',
      description: 'The call card opens the script that fits the call by itself: by the call type and the deal type.',
      call_type: 'Call type',
      call_types: { any: 'Any', incoming: 'Incoming', outgoing: 'Outgoing' },
      activity_type: 'Activity type',
      deal_type: 'Deal type',
      none: 'None',
      any_deal: 'Any',
      number_field: 'Save the dialed number into the field',
      number_field_hint: 'A string field of the contact or the deal; the number of the call is written once per call.',
      no_number_field: 'Do not save',
      no_catalog: 'The CRM directories did not load: {message}',
      close: 'Done',
      summary_any: 'Any call',
      summary_incoming: 'Incoming',
      summary_outgoing: 'Outgoing'
    }
  }
}

export const messages = { ru, en }
