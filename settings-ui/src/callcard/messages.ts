// Texts of the call card. Keep ru and en in step; vue-i18n treats { } @ | specially, so texts
// use {name} placeholders only.
const ru = {
  title: 'Карточка звонка',
  reception_offer: 'Мастер приёма обращения',
  reception_outcome: { cancelled: 'Приём обращения отменён.', transferred: 'Звонок переведён.', accepted: 'Обращение принято.' },
  loading: 'Загрузка…',
  tabs: { client: 'Клиент', script: 'Скрипт' },
  error: {
    load: 'Не удалось загрузить данные карточки.',
    retry: 'Повторить',
    bootstrap: 'Карточку открыли без данных портала. Откройте её из звонка в Битрикс24.'
  },
  access: {
    no_role: 'У вас нет роли в opdesk, поэтому карточка звонка недоступна.',
    blocked:
      'Ваше место в opdesk заблокировано: оплаченный период тарифа закончился или мест не хватает.',
    who: 'Назначить роль или продлить тариф могут супервайзеры:',
    nobody: 'В портале пока нет супервайзеров opdesk — обратитесь к администратору портала.',
    link: 'Открыть настройки opdesk'
  },
  client: {
    none: 'Клиент с номером {phone} не найден в CRM.',
    none_no_phone: 'Номер клиента неизвестен, найти его в CRM нельзя.',
    choose: 'Этот номер есть у нескольких записей CRM. Выберите, с кем разговор:',
    other: 'Выбрать другую запись',
    save: 'Сохранить',
    saving: 'Сохранение…',
    saved: 'Сохранено',
    locked: 'Только чтение',
    add: 'Добавить',
    remove: 'Удалить',
    yes: 'Да',
    no: 'Нет',
    empty: 'Для этой записи роль не показывает ни одного поля.',
    problem: {
      required: 'Заполните это поле.',
      email: 'Это не похоже на адрес e-mail.',
      number: 'Введите число.',
      integer: 'Введите целое число.'
    },
    entity: { lead: 'Лид', deal: 'Сделка', contact: 'Контакт', company: 'Компания' }
  },
  script: {
    none: 'Для вашей роли нет скриптов.',
    choose: 'Выберите скрипт:',
    back: 'Назад',
    end: 'Скрипт закончен.',
    change: 'Другой скрипт',
    save_failed: 'Ход скрипта не сохранился: {message}',
    common: 'Общие ответы',
    return_to: 'Вернуться: {title}',
    pinned: 'Закреплено',
    tags: {
      contact_name: 'имя контакта',
      contact_last_name: 'фамилия контакта',
      contact_phone: 'телефон контакта',
      contact_email: 'e-mail контакта',
      company_title: 'компания',
      lead_title: 'название лида',
      deal_title: 'название сделки',
      deal_opportunity: 'сумма сделки',
      deal_stage: 'стадия сделки',
      employee_name: 'имя сотрудника',
      call_phone: 'номер звонка'
    }
  },
  buttons: {
    title: 'Результат звонка',
    dialog: 'Что будет сделано',
    deadline: 'Срок',
    text: 'Текст',
    run: 'Выполнить',
    running: 'Выполняется…',
    close: 'Закрыть',
    cancel: 'Отмена',
    preview_failed: 'Не удалось подготовить действия: {message}',
    press_failed: 'Не удалось выполнить: {message}',
    state: { done: 'Готово', queued: 'В очереди', failed: 'Ошибка' },
    kind: {
      comment: 'Комментарий',
      callback: 'Перезвонить',
      meeting: 'Встреча',
      task: 'Задача',
      lead_status: 'Статус лида',
      deal_stage: 'Стадия сделки'
    }
  },
  keep_open: {
    on: 'Карточка не закроется после звонка, пока вы работаете.',
    release: 'Закончить работу'
  },
  history: {
    title: 'История взаимодействия',
    loading: 'Загружаем историю…',
    failed: 'Историю загрузить не удалось: {message}',
    retry: 'Повторить',
    empty: 'С этим клиентом ещё ничего не было.',
    more: 'Показать ещё',
    deals: 'Сделки',
    no_deals: 'Сделок нет.',
    closed: 'закрыта',
    pipeline: 'Воронка «{name}»',
    call: { incoming: 'Входящий звонок', outgoing: 'Исходящий звонок', unknown: 'Звонок' },
    outcome: {
      answered: 'разговор {duration}',
      missed: 'пропущен',
      busy: 'занято',
      declined: 'отклонён',
      failed: 'не состоялся',
      unknown: 'итог неизвестен'
    },
    recording: 'Запись разговора',
    activity: {
      todo: 'Дело',
      meeting: 'Встреча',
      task: 'Задача',
      email: 'Письмо',
      other: 'Дело'
    },
    done: 'выполнено',
    deadline: 'срок {at}',
    comment: 'Комментарий',
    seconds: '{n} с',
    minutes: '{m} мин {s} с'
  }
}

type Shape = typeof ru

const en: Shape = {
  title: 'Call card',
  reception_offer: 'Inquiry wizard',
  reception_outcome: { cancelled: 'The inquiry was cancelled.', transferred: 'The call was transferred.', accepted: 'The inquiry was accepted.' },
  loading: 'Loading…',
  tabs: { client: 'Client', script: 'Script' },
  error: {
    load: 'Could not load the call card data.',
    retry: 'Retry',
    bootstrap: 'The card was opened without the portal data. Open it from a call in Bitrix24.'
  },
  access: {
    no_role: 'You have no opdesk role, so the call card is not available to you.',
    blocked:
      'Your opdesk seat is blocked: the paid period has ended or there are not enough seats.',
    who: 'A role or a renewed plan can be given by the supervisors:',
    nobody: 'The portal has no opdesk supervisors yet — ask the portal administrator.',
    link: 'Open opdesk settings'
  },
  client: {
    none: 'No client with the number {phone} was found in the CRM.',
    none_no_phone: 'The caller’s number is unknown, so the CRM cannot be searched.',
    choose: 'Several CRM records have this number. Choose who is calling:',
    other: 'Choose another record',
    save: 'Save',
    saving: 'Saving…',
    saved: 'Saved',
    locked: 'Read only',
    add: 'Add',
    remove: 'Remove',
    yes: 'Yes',
    no: 'No',
    empty: 'The role shows no fields for this record.',
    problem: {
      required: 'Fill in this field.',
      email: 'This does not look like an e-mail address.',
      number: 'Enter a number.',
      integer: 'Enter a whole number.'
    },
    entity: { lead: 'Lead', deal: 'Deal', contact: 'Contact', company: 'Company' }
  },
  script: {
    none: 'Your role has no scripts.',
    choose: 'Choose a script:',
    back: 'Back',
    end: 'The script is finished.',
    change: 'Another script',
    save_failed: 'The script progress was not saved: {message}',
    common: 'Common answers',
    return_to: 'Back to: {title}',
    pinned: 'Pinned',
    tags: {
      contact_name: 'contact name',
      contact_last_name: 'contact last name',
      contact_phone: 'contact phone',
      contact_email: 'contact e-mail',
      company_title: 'company',
      lead_title: 'lead title',
      deal_title: 'deal title',
      deal_opportunity: 'deal amount',
      deal_stage: 'deal stage',
      employee_name: 'employee name',
      call_phone: 'call number'
    }
  },
  buttons: {
    title: 'Call result',
    dialog: 'What will be done',
    deadline: 'Deadline',
    text: 'Text',
    run: 'Run',
    running: 'Running…',
    close: 'Close',
    cancel: 'Cancel',
    preview_failed: 'Could not prepare the actions: {message}',
    press_failed: 'Could not run: {message}',
    state: { done: 'Done', queued: 'Queued', failed: 'Failed' },
    kind: {
      comment: 'Comment',
      callback: 'Call back',
      meeting: 'Meeting',
      task: 'Task',
      lead_status: 'Lead status',
      deal_stage: 'Deal stage'
    }
  },
  keep_open: {
    on: 'The card stays open after the call while you work.',
    release: 'Finish work'
  },
  history: {
    title: 'History with the client',
    loading: 'Loading the history…',
    failed: 'Could not load the history: {message}',
    retry: 'Retry',
    empty: 'Nothing has happened with this client yet.',
    more: 'Show more',
    deals: 'Deals',
    no_deals: 'No deals.',
    closed: 'closed',
    pipeline: 'Pipeline “{name}”',
    call: { incoming: 'Incoming call', outgoing: 'Outgoing call', unknown: 'Call' },
    outcome: {
      answered: 'talked {duration}',
      missed: 'missed',
      busy: 'busy',
      declined: 'declined',
      failed: 'did not connect',
      unknown: 'outcome unknown'
    },
    recording: 'Recording',
    activity: {
      todo: 'To-do',
      meeting: 'Meeting',
      task: 'Task',
      email: 'E-mail',
      other: 'Activity'
    },
    done: 'done',
    deadline: 'due {at}',
    comment: 'Comment',
    seconds: '{n} s',
    minutes: '{m} min {s} s'
  }
}

export const messages = { ru, en }
