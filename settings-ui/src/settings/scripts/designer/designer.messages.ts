// Texts of the script designer (scripts/designer/).
const ru = {
  designer: {
    title: 'Дизайнер скрипта «{name}»',
    toolbar: 'Действия со схемой',
    add_step: 'Добавить шаг',
    add_common: 'Добавить общий ответ',
    add_first: 'Добавить первый шаг',
    undo: 'Отменить',
    redo: 'Повторить',
    undo_keys: 'Отменить (Ctrl+Z)',
    redo_keys: 'Повторить (Ctrl+Shift+Z или Ctrl+Y)',
    arrange: 'Выстроить схему',
    fit: 'Показать всю схему',
    done: 'Готово',
    problems: 'Замечаний: {count}',
    empty: 'В скрипте пока нет шагов.',
    help: 'Нажмите «+» под шагом, чтобы создать дочерний шаг; потяните от «+» к другому шагу, чтобы связать их. Выделите связь или шаг и нажмите Delete, чтобы удалить. Двойной клик по названию или подсказке — правка. С клавиатуры: Tab — к шагу, Insert — дочерний шаг, L — связи, F2 — название, Delete — удалить, Ctrl+Z — отменить.',
    help_read_only: 'Схема только для просмотра: менять скрипты могут роли с правом управления настройками.',
    conflict: 'Пока вы редактировали, скрипт сохранил другой редактор. Ваши последние правки не сохранены и ничего не затёрли. Загрузите его версию (ваши несохранённые правки пропадут) или сохраните свои в файл, чтобы не потерять их.',
    conflict_reload: 'Загрузить версию другого редактора',
    conflict_download: 'Сохранить мои правки в файл',
    save: {
      saved: 'Черновик сохранён',
      pending: 'Есть несохранённые изменения…',
      failed: 'Черновик не сохранён: {message}',
      failed_short: 'черновик не сохранён'
    },
    lane: {
      title: 'Общие ответы',
      hint: 'доступны оператору с любого шага; после ответа он вернётся туда, где был'
    },
    step: {
      untitled: 'Без названия',
      new_title: 'Новый шаг',
      new_common: 'Новый общий ответ',
      start: 'Начало',
      common: 'Общий ответ',
      pinned: 'Закреплён вверху',
      plus: 'Щелчок — дочерний шаг; потяните к другому шагу, чтобы связать',
      dblclick: 'Двойной клик — изменить',
      hint_placeholder: 'Подсказка оператору (двойной клик)',
      title_label: 'Название шага',
      hint_label: 'Подсказка оператору'
    },
    menu: {
      label: 'Меню шага «{title}»',
      child: 'Добавить дочерний шаг',
      links: 'Связи с другими шагами…',
      fields: 'Поля CRM…',
      title: 'Изменить название',
      hint: 'Изменить подсказку',
      start: 'Сделать первым шагом',
      common_on: 'Сделать общим ответом',
      common_off: 'Вернуть в схему (не общий ответ)',
      pin_on: 'Закрепить вверху',
      pin_off: 'Открепить',
      delete: 'Удалить шаг'
    },
    tags: {
      label: 'Вставить тег поля',
      insert: 'Вставить тег поля…',
      contact_name: 'Контакт: имя',
      contact_last_name: 'Контакт: фамилия',
      contact_phone: 'Контакт: телефон',
      contact_email: 'Контакт: e-mail',
      company_title: 'Компания: название',
      lead_title: 'Лид: название',
      deal_title: 'Сделка: название',
      deal_opportunity: 'Сделка: сумма',
      deal_stage: 'Сделка: стадия',
      employee_name: 'Сотрудник: имя',
      call_phone: 'Звонок: номер'
    },
    fields: {
      title: 'Поля CRM шага «{title}»',
      description: 'Оператор увидит эти поля на шаге. Замок — поле только для чтения.',
      none: 'У шага пока нет полей.',
      entity: 'Сущность',
      field: 'Поле',
      choose: 'Выберите поле',
      add: 'Добавить поле',
      remove: 'Убрать',
      editable: 'можно менять',
      locked: 'только чтение',
      toggle: 'Переключить: можно менять / только чтение',
      crm_read_only: 'В CRM это поле только для чтения'
    },
    links: {
      title: 'Связи шага «{title}»',
      description: 'Переходы на следующие шаги — кнопки оператора, в этом порядке.',
      none: 'Шаг никуда не ведёт: это конец разговора.',
      add_label: 'Добавить переход на шаг',
      choose: 'Выберите шаг',
      add: 'Связать',
      remove: 'Убрать связь'
    },
    issue: {
      unreachable: 'Недостижим от начала',
      no_way_out: 'Нет выхода: отсюда нельзя дойти до конца разговора',
      duplicate_next: 'Два следующих шага называются «{title}»',
      empty_title: 'Нет названия',
      common_start: 'Общий ответ не может быть первым шагом'
    },
    publish: {
      title: 'Публикация скрипта',
      since: 'Что изменилось с опубликованной версии {version}:',
      first: 'Скрипт ещё не публиковался. В версию войдёт:',
      no_changes: 'Изменений нет: черновик совпадает с опубликованной версией.',
      blocked: 'Сначала исправьте:',
      warnings: 'Обратите внимание:',
      confirm: 'Опубликовать версию {version}'
    },
    change: {
      added: 'Добавлен шаг «{title}»',
      removed: 'Удалён шаг «{title}»',
      renamed: 'Шаг «{from}» переименован в «{to}»',
      hint: 'Изменена подсказка шага «{title}»',
      fields: 'Изменены поля CRM шага «{title}»',
      common_on: 'Шаг «{title}» стал общим ответом',
      common_off: 'Шаг «{title}» больше не общий ответ',
      linked: 'Новый переход «{from}» → «{to}»',
      unlinked: 'Убран переход «{from}» → «{to}»',
      reordered: 'Изменён порядок кнопок шага «{title}»',
      start: 'Скрипт начинается с шага «{title}»'
    }
  }
}

const en: typeof ru = {
  designer: {
    title: 'Script designer: “{name}”',
    toolbar: 'Diagram actions',
    add_step: 'Add a step',
    add_common: 'Add a common answer',
    add_first: 'Add the first step',
    undo: 'Undo',
    redo: 'Redo',
    undo_keys: 'Undo (Ctrl+Z)',
    redo_keys: 'Redo (Ctrl+Shift+Z or Ctrl+Y)',
    arrange: 'Arrange',
    fit: 'Show the whole diagram',
    done: 'Done',
    problems: 'Problems: {count}',
    empty: 'The script has no steps yet.',
    help: 'Click “+” under a step to make a child step; drag from “+” to another step to link them. Select a link or a step and press Delete to remove it. Double-click a title or hint to edit it. Keyboard: Tab to a step, Insert — child step, L — links, F2 — title, Delete — delete, Ctrl+Z — undo.',
    help_read_only: 'Read-only: roles that may manage settings can change scripts.',
    conflict: 'While you were editing, another editor saved this script. Your latest edits are not saved and overwrote nothing. Load their version (your unsaved edits are dropped) or save yours to a file to keep them.',
    conflict_reload: 'Load the other editor’s version',
    conflict_download: 'Save my edits to a file',
    save: {
      saved: 'Draft saved',
      pending: 'Unsaved changes…',
      failed: 'The draft is not saved: {message}',
      failed_short: 'the draft is not saved'
    },
    lane: {
      title: 'Common answers',
      hint: 'the operator can open them from any step and then goes back to where they were'
    },
    step: {
      untitled: 'Untitled',
      new_title: 'New step',
      new_common: 'New common answer',
      start: 'Start',
      common: 'Common answer',
      pinned: 'Pinned at the top',
      plus: 'Click: a child step; drag to another step to link',
      dblclick: 'Double-click to edit',
      hint_placeholder: 'Hint for the operator (double-click)',
      title_label: 'Step title',
      hint_label: 'Hint for the operator'
    },
    menu: {
      label: 'Menu of the step “{title}”',
      child: 'Add a child step',
      links: 'Links to other steps…',
      fields: 'CRM fields…',
      title: 'Edit the title',
      hint: 'Edit the hint',
      start: 'Make it the first step',
      common_on: 'Make it a common answer',
      common_off: 'Back into the script (not a common answer)',
      pin_on: 'Pin at the top',
      pin_off: 'Unpin',
      delete: 'Delete the step'
    },
    tags: {
      label: 'Insert a field tag',
      insert: 'Insert a field tag…',
      contact_name: 'Contact: name',
      contact_last_name: 'Contact: last name',
      contact_phone: 'Contact: phone',
      contact_email: 'Contact: e-mail',
      company_title: 'Company: title',
      lead_title: 'Lead: title',
      deal_title: 'Deal: title',
      deal_opportunity: 'Deal: amount',
      deal_stage: 'Deal: stage',
      employee_name: 'Employee: name',
      call_phone: 'Call: number'
    },
    fields: {
      title: 'CRM fields of the step “{title}”',
      description: 'The operator sees these fields at this step. The lock makes a field read-only.',
      none: 'The step has no fields yet.',
      entity: 'Entity',
      field: 'Field',
      choose: 'Choose a field',
      add: 'Add the field',
      remove: 'Remove',
      editable: 'editable',
      locked: 'read-only',
      toggle: 'Toggle: editable / read-only',
      crm_read_only: 'The CRM makes this field read-only'
    },
    links: {
      title: 'Links of the step “{title}”',
      description: 'The next steps are the operator’s buttons, in this order.',
      none: 'The step leads nowhere: the conversation ends here.',
      add_label: 'Add a link to the step',
      choose: 'Choose a step',
      add: 'Link',
      remove: 'Remove the link'
    },
    issue: {
      unreachable: 'Not reachable from the start',
      no_way_out: 'No way out: the conversation cannot end from here',
      duplicate_next: 'Two next steps are titled “{title}”',
      empty_title: 'No title',
      common_start: 'A common answer cannot be the first step'
    },
    publish: {
      title: 'Publish the script',
      since: 'What changed since the published version {version}:',
      first: 'The script was never published. The version will hold:',
      no_changes: 'Nothing changed: the draft equals the published version.',
      blocked: 'Fix these first:',
      warnings: 'Note:',
      confirm: 'Publish version {version}'
    },
    change: {
      added: 'Step “{title}” added',
      removed: 'Step “{title}” removed',
      renamed: 'Step “{from}” renamed to “{to}”',
      hint: 'Hint of “{title}” changed',
      fields: 'CRM fields of “{title}” changed',
      common_on: '“{title}” became a common answer',
      common_off: '“{title}” is no longer a common answer',
      linked: 'New link “{from}” → “{to}”',
      unlinked: 'Link “{from}” → “{to}” removed',
      reordered: 'Button order of “{title}” changed',
      start: 'The script starts with “{title}”'
    }
  }
}

export const messages = { ru, en }
