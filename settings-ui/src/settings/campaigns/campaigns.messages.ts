// Texts of the «Обзвоны» managers' pages: the task list, the task page with its editor, import
// and contacts table (campaigns/*.vue). The navigation entry lives here too (nav.campaigns).
const ru = {
  nav: { campaigns: 'Обзвоны' },
  campaigns: {
    title: 'Обзвоны',
    intro_manager:
      'Задание на обзвон — список номеров, который операторы обзванивают по скрипту. Создайте задание, добавьте номера, выберите скрипт и операторов и запустите его.',
    intro_operator: 'Здесь задания на обзвон, в которых вы оператор. Нажмите «Приступить к работе», чтобы открыть следующий контакт.',
    create: 'Создать задание',
    empty_manager: 'Заданий пока нет. Нажмите «Создать задание», чтобы собрать первый список для обзвона.',
    empty_operator: 'Вас пока не назначили ни в одно задание. Когда супервайзер добавит вас в задание, оно появится здесь.',
    col: { name: 'Задание', state: 'Состояние', contacts: 'Контакты', progress: 'Выполнено' },
    state: { draft: 'Черновик', running: 'Идёт', paused: 'Пауза' },
    counts: 'Новые {new} · В работе {in_work} · Завершены {done} из {total}',
    percent: '{percent}%',
    work: 'Приступить к работе',
    work_not_running: 'Задание не запущено',
    open: 'Открыть',
    no_contacts: 'нет контактов',
    plural: {
      contacts: { one: '{n} контакт', few: '{n} контакта', many: '{n} контактов' }
    },
    refusal: {
      no_employee: 'Добавьте хотя бы одного оператора: без операторов задание не запустить.',
      script_none: 'Выберите скрипт: без скрипта задание не запустить.',
      script_unpublished: 'У выбранного скрипта нет опубликованной версии: опубликуйте его в разделе «Скрипты».',
      script_unknown: 'Такого скрипта нет: выберите скрипт из списка.',
      script_deleted: 'Скрипт задания удалён: выберите другой скрипт.'
    },
    page: {
      new_title: 'Новое задание',
      title: 'Задание «{name}»',
      back: 'Все задания',
      start: 'Запустить',
      resume: 'Продолжить',
      pause: 'Поставить на паузу',
      delete: 'Удалить задание',
      confirm_delete: 'Удалить задание «{name}» вместе со всеми его контактами ({count})? Это нельзя отменить.',
      started: 'Задание запущено: операторы получают контакты.',
      paused: 'Задание на паузе: операторы не получают новых контактов.',
      script_pinned: 'Операторы работают по версии {version} скрипта.',
      save_first: 'Сначала сохраните изменения.',
      tabs: { contacts: 'Контакты', settings: 'Настройки', import: 'Добавить номера' },
      read_only: 'Вы оператор этого задания: менять его может супервайзер.',
      not_found: 'Задание не найдено: возможно, его удалили.'
    },
    editor: {
      name: 'Название',
      description: 'Описание',
      description_help: 'Что это за обзвон и что сказать клиенту — операторы увидят это в задании.',
      script: 'Скрипт',
      no_script: '— без скрипта —',
      script_unpublished:
        'У скрипта «{name}» нет опубликованной версии: задание нельзя запустить, пока скрипт не опубликуют в разделе «Скрипты».',
      script_none: 'Без скрипта задание нельзя запустить.',
      script_deleted: 'Скрипт задания удалён: выберите другой скрипт.',
      not_published: 'не опубликован',
      published: 'версия {version}',
      employees: 'Операторы',
      employees_help: 'Кто обзванивает этот список. Здесь только пользователи с ролью в opdesk (раздел «Пользователи»).',
      employees_none: 'Ни у кого нет роли в opdesk: дайте роль операторам в разделе «Пользователи».',
      employee_lost: 'нет роли',
      chosen: 'Выбрано: {count}',
      retry: 'Повторы, если не дозвонились',
      max_attempts: 'Попыток всего',
      spacing: 'Интервал между попытками, минут',
      retry_help: 'После «Не дозвонились» контакт вернётся в общий список через интервал; после последней попытки он завершится.',
      range: 'Введите целое число от {min} до {max}.',
      users_failed: 'Не удалось загрузить пользователей: {message}'
    },
    import: {
      title: 'Добавить номера',
      help:
        'Один контакт в строке: номер и, через запятую, точку с запятой или табуляцию, имя. Первая строка без цифр считается заголовком. Номера на 8 и десятизначные на 9 получают код +7.',
      paste: 'Вставьте номера',
      placeholder: '+7 900 123-45-67, Иван Петров\n8 900 765-43-21; Ольга',
      file: 'Выбрать CSV-файл',
      file_chosen: 'Файл «{name}», {size}',
      clear_file: 'Убрать файл',
      limit: 'Файл или текст не больше 2 МБ (до 20 000 строк).',
      too_big: 'Это {size}, а можно не больше 2 МБ: разделите список на части.',
      check: 'Проверить',
      checking: 'Проверка…',
      sending: 'Отправлено {percent}%',
      add: {
        one: 'Добавить {n} контакт',
        few: 'Добавить {n} контакта',
        many: 'Добавить {n} контактов'
      },
      nothing: 'Добавлять нечего: ни одна строка не подошла.',
      empty_input: 'Вставьте номера или выберите файл.',
      summary: 'Строк: {lines}. Подходят: {accepted}. С ошибками: {rejected}.',
      header_skipped: 'Первая строка — заголовок, пропущена.',
      added: 'Добавлено контактов: {added}. Всего в задании: {total}.',
      truncated: 'Показаны первые 1000 ошибок.',
      show_all: 'Показать все ошибки ({count})',
      col: { line: 'Строка', reason: 'Причина', text: 'Текст' },
      reason: {
        empty: 'Пустая строка',
        bad_number: 'Это не номер телефона',
        too_many_columns: 'Лишние колонки: нужны только номер и имя',
        bad_quotes: 'Непарные кавычки',
        too_long: 'Слишком длинная строка',
        duplicate_in_file: 'Этот номер уже есть выше в списке',
        duplicate_in_task: 'Этот номер уже есть в задании',
        unknown: 'Ошибка: {reason}'
      },
      refusal: {
        too_big: 'Список больше 2 МБ: разделите его на части.',
        too_many_lines: 'В списке больше 20 000 строк: разделите его на части.',
        not_utf8: 'Файл не в кодировке UTF-8: сохраните его как CSV UTF-8 и выберите снова.',
        task_full: 'В задании может быть не больше 100 000 контактов: этот список туда не поместится.'
      },
      crm: 'Добавить из CRM',
      crm_help: 'Контакты CRM или фильтр CRM: номера читаются в момент звонка.'
    },
    contacts: {
      title: 'Контакты',
      all: 'Все',
      status: { new: 'Новый', in_work: 'В работе', done: 'Завершён' },
      result: {
        none: 'Без результата',
        talked: 'Поговорили',
        no_answer: 'Не дозвонились',
        call_back: 'Перезвонить',
        refused: 'Отказ',
        wrong_number: 'Неверный номер'
      },
      progress: 'Завершено {done} из {total} ({percent}%)',
      filter: {
        title: 'Фильтр',
        q: 'Номер или имя',
        result: 'Результат',
        any_result: 'Любой результат',
        operator: 'Оператор',
        any_operator: 'Любой оператор',
        status: 'Статус',
        any_status: 'Любой статус',
        created: 'Добавлен',
        last_call: 'Последний звонок',
        due: 'Следующий звонок',
        from: 'с',
        to: 'по',
        apply: 'Найти',
        reset: 'Сбросить',
        bad_range: 'Дата «по» раньше даты «с».'
      },
      col: {
        contact: 'Номер и имя',
        status: 'Статус',
        result: 'Результат',
        attempts: 'Попыток',
        operator: 'Оператор',
        last_call: 'Последний звонок',
        due: 'Следующий звонок'
      },
      crm_contact: 'контакт CRM #{id}',
      empty: 'В задании пока нет контактов. Добавьте номера на вкладке «Добавить номера».',
      empty_filtered: 'Под фильтр не подходит ни один контакт. Измените или сбросьте фильтр.',
      more: 'Показать ещё',
      shown: 'Показано {shown} из {total}',
      selected: 'Выбрано: {count}',
      select_all: 'Выбрать все показанные',
      delete: 'Удалить выбранные',
      confirm_title: 'Удалить контакты',
      confirm: {
        one: 'Удалить {n} контакт из задания? Это нельзя отменить.',
        few: 'Удалить {n} контакта из задания? Это нельзя отменить.',
        many: 'Удалить {n} контактов из задания? Это нельзя отменить.'
      },
      deleted: 'Удалено контактов: {count}.',
      export: 'Экспорт CSV',
      opened: 'открыт оператором'
    }
  }
}

const en: typeof ru = {
  nav: { campaigns: 'Dialing tasks' },
  campaigns: {
    title: 'Dialing tasks',
    intro_manager:
      'A dialing task is a list of numbers that operators call through with a script. Create a task, add numbers, choose the script and the operators, and start it.',
    intro_operator: 'These are the dialing tasks you work as an operator. Press “Start working” to open the next contact.',
    create: 'Create a task',
    empty_manager: 'No tasks yet. Press “Create a task” to build your first call list.',
    empty_operator: 'You are not on any task yet. When a supervisor adds you to a task, it shows here.',
    col: { name: 'Task', state: 'State', contacts: 'Contacts', progress: 'Done' },
    state: { draft: 'Draft', running: 'Running', paused: 'Paused' },
    counts: 'New {new} · In work {in_work} · Done {done} of {total}',
    percent: '{percent}%',
    work: 'Start working',
    work_not_running: 'The task is not running',
    open: 'Open',
    no_contacts: 'no contacts',
    plural: {
      contacts: { one: '{n} contact', few: '{n} contacts', many: '{n} contacts' }
    },
    refusal: {
      no_employee: 'Add at least one operator: a task without operators cannot start.',
      script_none: 'Choose a script: a task without one cannot start.',
      script_unpublished: 'The chosen script has no published version: publish it in Scripts.',
      script_unknown: 'There is no such script: choose one from the list.',
      script_deleted: 'The task’s script was deleted: choose another script.'
    },
    page: {
      new_title: 'New task',
      title: 'Task “{name}”',
      back: 'All tasks',
      start: 'Start',
      resume: 'Resume',
      pause: 'Pause',
      delete: 'Delete the task',
      confirm_delete: 'Delete the task “{name}” with all its contacts ({count})? This cannot be undone.',
      started: 'The task is running: operators get contacts.',
      paused: 'The task is paused: operators get no new contacts.',
      script_pinned: 'Operators work with version {version} of the script.',
      save_first: 'Save your changes first.',
      tabs: { contacts: 'Contacts', settings: 'Settings', import: 'Add numbers' },
      read_only: 'You are an operator of this task: a supervisor can change it.',
      not_found: 'The task was not found: it may have been deleted.'
    },
    editor: {
      name: 'Name',
      description: 'Description',
      description_help: 'What this campaign is about and what to tell the client — operators see it in the task.',
      script: 'Script',
      no_script: '— no script —',
      script_unpublished:
        'The script “{name}” has no published version: the task cannot start until the script is published in Scripts.',
      script_none: 'A task without a script cannot start.',
      script_deleted: 'The task’s script was deleted: choose another script.',
      not_published: 'not published',
      published: 'version {version}',
      employees: 'Operators',
      employees_help: 'Who calls this list. Only users holding an opdesk role are listed (see Users).',
      employees_none: 'Nobody holds an opdesk role: give the operators a role in Users.',
      employee_lost: 'no role',
      chosen: 'Chosen: {count}',
      retry: 'Retries when nobody answered',
      max_attempts: 'Attempts in all',
      spacing: 'Minutes between attempts',
      retry_help: 'After “No answer” the contact returns to the common list after the spacing; after the last attempt it is done.',
      range: 'Enter a whole number from {min} to {max}.',
      users_failed: 'Could not load the users: {message}'
    },
    import: {
      title: 'Add numbers',
      help:
        'One contact a line: the number and, after a comma, semicolon or tab, the name. A first line without digits is a header. Numbers starting with 8, and ten-digit ones starting with 9, get +7.',
      paste: 'Paste the numbers',
      placeholder: '+7 900 123-45-67, Ivan Petrov\n8 900 765-43-21; Olga',
      file: 'Choose a CSV file',
      file_chosen: 'File “{name}”, {size}',
      clear_file: 'Remove the file',
      limit: 'A file or text of at most 2 MB (up to 20,000 lines).',
      too_big: 'This is {size}; at most 2 MB is allowed: split the list.',
      check: 'Check',
      checking: 'Checking…',
      sending: 'Sent {percent}%',
      add: {
        one: 'Add {n} contact',
        few: 'Add {n} contacts',
        many: 'Add {n} contacts'
      },
      nothing: 'Nothing to add: no line fits.',
      empty_input: 'Paste numbers or choose a file.',
      summary: 'Lines: {lines}. Fit: {accepted}. With errors: {rejected}.',
      header_skipped: 'The first line is a header and was skipped.',
      added: 'Contacts added: {added}. In the task now: {total}.',
      truncated: 'The first 1000 errors are shown.',
      show_all: 'Show all errors ({count})',
      col: { line: 'Line', reason: 'Reason', text: 'Text' },
      reason: {
        empty: 'Empty line',
        bad_number: 'Not a phone number',
        too_many_columns: 'Extra columns: only the number and the name',
        bad_quotes: 'Unbalanced quotes',
        too_long: 'The line is too long',
        duplicate_in_file: 'This number is already above in the list',
        duplicate_in_task: 'This number is already in the task',
        unknown: 'Error: {reason}'
      },
      refusal: {
        too_big: 'The list is over 2 MB: split it.',
        too_many_lines: 'The list has over 20,000 lines: split it.',
        not_utf8: 'The file is not UTF-8: save it as CSV UTF-8 and choose it again.',
        task_full: 'A task holds at most 100,000 contacts: this list does not fit.'
      },
      crm: 'Add from the CRM',
      crm_help: 'CRM contacts or a CRM filter: the numbers are read at call time.'
    },
    contacts: {
      title: 'Contacts',
      all: 'All',
      status: { new: 'New', in_work: 'In work', done: 'Done' },
      result: {
        none: 'No result',
        talked: 'Talked',
        no_answer: 'No answer',
        call_back: 'Call back',
        refused: 'Refused',
        wrong_number: 'Wrong number'
      },
      progress: 'Done {done} of {total} ({percent}%)',
      filter: {
        title: 'Filter',
        q: 'Number or name',
        result: 'Result',
        any_result: 'Any result',
        operator: 'Operator',
        any_operator: 'Any operator',
        status: 'Status',
        any_status: 'Any status',
        created: 'Added',
        last_call: 'Last call',
        due: 'Next call',
        from: 'from',
        to: 'to',
        apply: 'Find',
        reset: 'Reset',
        bad_range: 'The “to” date is before the “from” date.'
      },
      col: {
        contact: 'Number and name',
        status: 'Status',
        result: 'Result',
        attempts: 'Attempts',
        operator: 'Operator',
        last_call: 'Last call',
        due: 'Next call'
      },
      crm_contact: 'CRM contact #{id}',
      empty: 'The task has no contacts yet. Add numbers on the “Add numbers” tab.',
      empty_filtered: 'No contact matches the filter. Change or reset it.',
      more: 'Show more',
      shown: 'Shown {shown} of {total}',
      selected: 'Selected: {count}',
      select_all: 'Select all shown',
      delete: 'Delete selected',
      confirm_title: 'Delete contacts',
      confirm: {
        one: 'Delete {n} contact from the task? This cannot be undone.',
        few: 'Delete {n} contacts from the task? This cannot be undone.',
        many: 'Delete {n} contacts from the task? This cannot be undone.'
      },
      deleted: 'Contacts deleted: {count}.',
      export: 'Export CSV',
      opened: 'opened by the operator'
    }
  }
}

export const messages = { ru, en }
