// Texts of «Контакты из CRM» (a dialing task's CRM contacts and CRM filter). Keep ru and en in step.
const ru = {
  campaignCrm: {
    title: 'Контакты из CRM',
    back: 'Назад к заданию',
    intro:
      'Добавьте в задание выбранные контакты CRM или задайте фильтр: номера читаются из CRM в момент звонка, контакты по фильтру добавляются страницами, когда заканчиваются остальные.',
    pick: 'Выбрать контакты',
    search_placeholder: 'Имя, фамилия или номер',
    search: 'Найти',
    searching: 'Поиск…',
    nothing_found: 'Ничего не найдено.',
    no_phone: 'нет телефона',
    add_selected: 'Добавить выбранные ({count})',
    adding: 'Добавление…',
    added: 'Добавлено: {count}',
    refused: 'Не добавлено: {count}',
    reason: {
      bad_id: 'неверный id',
      duplicate_in_request: 'выбран дважды',
      duplicate_in_task: 'уже в задании',
      not_found: 'нет в CRM',
      task_full: 'в задании нет места'
    },
    filter: 'Фильтр CRM',
    filter_hint: 'Все условия должны выполняться. Поля — из CRM.',
    field: 'Поле',
    op: 'Условие',
    value: 'Значение',
    add_condition: 'Добавить условие',
    remove: 'Убрать',
    ops: {
      eq: 'равно',
      contains: 'содержит',
      empty: 'пусто',
      not_empty: 'не пусто',
      before: 'не позже',
      after: 'не раньше'
    },
    preview: 'Проверить',
    matching: 'Подходит контактов: {count}',
    save_filter: 'Сохранить фильтр',
    delete_filter: 'Удалить фильтр',
    taken: 'Взято в задание: {taken}, пропущено: {skipped}',
    exhausted: 'Все подходящие контакты уже взяты.',
    no_filter: 'Фильтр не задан.',
    fields_failed: 'Не удалось получить поля CRM: {message}',
    unknown_field: 'В CRM нет такого поля контакта: выберите поле из списка.'
  }
}

type Shape = typeof ru

const en: Shape = {
  campaignCrm: {
    title: 'Contacts from the CRM',
    back: 'Back to the task',
    intro:
      'Add chosen CRM contacts to the task or define a filter: numbers are read from the CRM at call time, contacts matching the filter are added a page at a time when the others run out.',
    pick: 'Choose contacts',
    search_placeholder: 'Name, last name or number',
    search: 'Search',
    searching: 'Searching…',
    nothing_found: 'Nothing found.',
    no_phone: 'no phone',
    add_selected: 'Add selected ({count})',
    adding: 'Adding…',
    added: 'Added: {count}',
    refused: 'Not added: {count}',
    reason: {
      bad_id: 'bad id',
      duplicate_in_request: 'chosen twice',
      duplicate_in_task: 'already in the task',
      not_found: 'not in the CRM',
      task_full: 'the task is full'
    },
    filter: 'CRM filter',
    filter_hint: 'Every condition must hold. Fields come from the CRM.',
    field: 'Field',
    op: 'Condition',
    value: 'Value',
    add_condition: 'Add a condition',
    remove: 'Remove',
    ops: {
      eq: 'equals',
      contains: 'contains',
      empty: 'is empty',
      not_empty: 'is not empty',
      before: 'on or before',
      after: 'on or after'
    },
    preview: 'Check',
    matching: 'Matching contacts: {count}',
    save_filter: 'Save the filter',
    delete_filter: 'Delete the filter',
    taken: 'Taken into the task: {taken}, skipped: {skipped}',
    exhausted: 'Every matching contact has been taken.',
    no_filter: 'No filter yet.',
    fields_failed: 'Could not read the CRM fields: {message}',
    unknown_field: 'The CRM has no such contact field: choose one from the list.'
  }
}

export const messages = { ru, en }
