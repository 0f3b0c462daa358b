// Texts of the «Интеграция» page (IntegrationPage.vue): the Mango connection, the employee map,
// and a label and a help text for every call-handling flag of integrationFields.ts.
const clientOptionsRu = {
  none: 'Ничего не делать',
  lead: 'Лид',
  client: 'Клиента (контакт)',
  client_and_deal: 'Клиента и сделку'
}
const clientOptionsEn = {
  none: 'Do nothing',
  lead: 'A lead',
  client: 'A client (contact)',
  client_and_deal: 'A client and a deal'
}

const ru = {
  integrationPage: {
    title: 'Интеграция',
    mango: {
      title: 'Подключение Mango Office',
      intro: 'Ключи берутся в личном кабинете Mango: «Интеграции» → «API коннектор».',
      connected: 'ВАТС подключена {at}',
      not_connected: 'ВАТС не подключена.',
      api_key: 'Уникальный код АТС (ключ API)',
      api_salt: 'Ключ для создания подписи (соль)',
      salt_hint: 'Соль хранится зашифрованной и не показывается. Чтобы сменить ключи, введите обе строки.',
      save: 'Сохранить ключи',
      webhook: 'Адрес для уведомлений (укажите его в Mango как «Адрес внешней системы»)',
      copy: 'Копировать',
      copied: 'Скопировано',
      check: 'Проверить подключение',
      checking: 'Проверяем…',
      directory: 'Сотрудников в справочнике ВАТС: {n}'
    },
    employees: {
      title: 'Сотрудники: внутренние номера ↔ пользователи Битрикс24',
      intro: 'Звонок сотрудника показывается тому пользователю, с кем связан его внутренний номер. Связи вручную важнее автоматических.',
      refresh: 'Загрузить справочник из Mango',
      refresh_queued: 'Справочник загружается, список обновится через несколько секунд.',
      col: { extension: 'Внутр. номер', mango: 'В Mango', user: 'Пользователь Битрикс24', source: 'Откуда связь' },
      source: {
        manual: 'вручную',
        crm: 'по внутреннему номеру',
        pbx: 'по e-mail',
        none: 'не связан'
      },
      not_in_pbx: 'нет в справочнике ВАТС',
      pick: 'Выберите пользователя',
      link: 'Связать',
      unlink: 'Отвязать',
      empty: 'Справочник сотрудников пуст: подключите ВАТС или загрузите справочник.'
    },
    flags: {
      title: 'Обработка звонков',
      sections: {
        incoming: 'Входящие звонки',
        routing: 'Распределение по ответственным',
        deals: 'Сделки по звонкам',
        missed: 'Пропущенные звонки',
        outgoing: 'Исходящие звонки',
        employees: 'Звонки сотрудников без связи',
        callbacks: 'Обратный звонок из CRM-форм',
        sources: 'Источник по номеру линии'
      },
      section_help: {
        routing:
          'Чтобы звонок мог быть переведён на ответственного, настройте схему распределения в личном кабинете MANGO OFFICE: «Голосовое меню» → «Голосовое меню и распределение звонков» → вкладка «Настройки для входящих линий». Перед распределением звонка добавьте звуковое приветствие длительностью не менее 5 секунд (можно тишину) и укажите «да» в параметре «ожидать окончания». Если ответственный не найден, уволен или не сопоставлен с внутренним номером, звонок распределится по этой схеме как обычно.'
      },
      entity: { contact: 'контакт', company: 'компания', lead: 'лид' },
      none_field: 'Не записывать',
      none_user: 'Не выбран',
      none_stage: 'Первая стадия воронки',
      default_pipeline: 'Воронка по умолчанию',
      bad_extension: 'Внутренний номер — от 1 до 16 цифр.',
      bad_number: 'Номер линии — от 5 до 20 цифр, без пробелов и знаков.',
      bad_range: 'Целое число от {min} до {max}.',
      bad_line: 'Номер линии — только цифры, до 20.',
      bad_field: 'Код пользовательского поля вида UF_CRM_LINE (заглавные латинские буквы, цифры, _).'
    },
    lines: {
      line: 'Номер линии',
      source: 'Источник',
      add: 'Добавить линию',
      remove: 'Удалить',
      none: 'Источники по линиям не заданы.',
      pick: 'Выберите источник'
    },
    line_numbers: {
      seconds: 'Секунд',
      none: 'Для всех линий действует общая длительность.'
    },
    fields: {
      answered_new_number: {
        label: 'Принятый входящий звонок с нового номера',
        help: 'Что создать в CRM, если звонит номер, которого там нет, и звонок приняли. Создатель и ответственный — сотрудник, первым принявший звонок (или последний, если включено «Ответственный — последний»). Имя: «Новый (16:30 05.03.2018, входящий вызов)».',
        options: clientOptionsRu
      },
      missed_new_number: {
        label: 'Пропущенный входящий звонок с нового номера',
        help: 'Что создать в CRM после пропущенного звонка с незнакомого номера. Ответственный — сотрудник, которому звонок был распределён (или выбранный ниже для IVR и групп).',
        options: clientOptionsRu
      },
      responsible_is_last_handler: {
        label: 'Ответственный — последний обработавший звонок',
        help: 'Включено: при переводах ответственным в новом клиенте станет сотрудник, который обработал звонок последним. Выключено: тот, кто принял звонок первым.'
      },
      deal_category_id: {
        label: 'Сделки по принятым звонкам: воронка',
        help: 'В какой воронке создаются сделки по принятым звонкам (новым клиентам при «Клиента и сделку» и при повторных звонках).'
      },
      deal_stage_id: {
        label: 'Сделки по принятым звонкам: стадия',
        help: 'На какой стадии выбранной воронки создаётся сделка; пустая стадия — первая стадия воронки.'
      },
      missed_deal_category_id: {
        label: 'Сделки по пропущенным звонкам: воронка',
        help: 'В какой воронке создаются сделки по пропущенным звонкам.'
      },
      missed_deal_stage_id: {
        label: 'Сделки по пропущенным звонкам: стадия',
        help: 'На какой стадии выбранной воронки создаётся сделка по пропущенному звонку; пустая стадия — первая стадия воронки.'
      },
      repeated_call_deal: {
        label: 'Действия при повторных звонках от клиентов',
        help: '«Не создавать сделку» — звонок только отразится в карточке клиента; «Всегда создавать сделку» — новая сделка при каждом звонке; «Создавать, если нет открытых» — сделка создаётся, только если у клиента нет сделок в работе.',
        options: {
          never: 'Не создавать сделку',
          always: 'Всегда создавать сделку',
          if_none_open: 'Создавать, если нет открытых'
        }
      },
      client_phone_format: {
        label: 'Формат телефонных номеров',
        help: 'В каком виде сохранять номер у автоматически созданных клиентов: +79001234567, +7 900 123-45-67 или 89001234567.',
        options: {
          plus_digits: '+79001234567',
          international: '+7 900 123-45-67',
          national_8: '89001234567'
        }
      },
      route_to_responsible: {
        label: 'Распределять вызовы от клиентов по ответственным сотрудникам',
        help: 'Если клиент с номером звонящего найден в CRM, звонок во время приветствия переводится на ответственного за клиента. Если ответственный уволен, заблокирован, не сопоставлен с внутренним номером или сам является клиентом, звонок идёт по схеме АТС.'
      },
      route_greeting_seconds: {
        label: 'Длительность приветствия, сек',
        help: 'Сколько секунд играет приветствие перед распределением; перевести звонок можно только за это время. Должно совпадать с настройкой схемы в ВАТС.'
      },
      route_greeting_seconds_by_line: {
        label: 'Длительность приветствия по линиям',
        help: 'Своя длительность приветствия для отдельных линий, если она отличается от общей.'
      },
      route_only_at_work: {
        label: 'Только если у ответственного начат рабочий день',
        help: 'Если включено, звонок не переводится на ответственного, у которого в учёте рабочего времени CRM рабочий день не начат.'
      },
      line_as_source: {
        label: 'Указывать источник при входящих звонках',
        help: 'Если включено, в созданном клиенте сохраняется номер линии MANGO OFFICE, на которую позвонил клиент (источник и описание источника), — по нему можно фильтровать. Если выключено, номер линии не сохраняется.'
      },
      line_number_field: {
        label: 'Поле «Номер линии MANGO OFFICE»',
        help: 'Пользовательское поле контакта, компании и лида, в которое записывается номер линии; его можно выбирать в фильтрах и отчётах.'
      },
      missed_in_ivr_extension: {
        label: 'Ответственный за пропущенные в голосовом меню (IVR)',
        help: 'Внутренний номер сотрудника: на него создаётся клиент при звонке, пропущенном в IVR. Пусто — для таких звонков клиент не создаётся. Действует, только если для пропущенных звонков с нового номера выбрано не «Ничего не делать».'
      },
      missed_in_group_extension: {
        label: 'Ответственный за пропущенные в группе',
        help: 'Внутренний номер сотрудника, который станет ответственным за клиента при звонке, пропущенном группой. Пусто — первый сотрудник, которому распределялся звонок. Действует, только если для пропущенных звонков с нового номера выбрано не «Ничего не делать».'
      },
      outgoing_new_number_creates_client: {
        label: 'Создавать клиента при исходящем звонке на новый номер',
        help: 'Включено: при звонке на номер, которого нет в CRM, создаётся клиент «Новый (…, исходящий вызов)»; создатель и ответственный — звонивший сотрудник.'
      },
      unmapped_employee_calls: {
        label: 'Звонок сотрудника, не связанного с пользователем',
        help: 'Как быть со звонком внутреннего номера, который не связан ни с одним пользователем Битрикс24.',
        options: {
          record_without_card: 'Записать звонок без карточки',
          catch_all_card: 'Показать карточку выбранному пользователю'
        }
      },
      catch_all_user_id: {
        label: 'Пользователь по умолчанию',
        help: 'Кому записываются (и показываются, если выбрано) звонки без связанного сотрудника и звонки, пропущенные до распределения.'
      },
      callback_extension: {
        label: 'Кто перезванивает по заявке из CRM-формы',
        help: 'Внутренний номер сотрудника, которому Mango позвонит первым, чтобы соединить с клиентом. Либо задайте группу и линию.'
      },
      callback_group: {
        label: 'Группа для обратного звонка',
        help: 'Номер группы ВАТС, которая перезванивает по заявке из формы (вместо одного сотрудника).'
      },
      callback_line_number: {
        label: 'Линия для обратного звонка группой',
        help: 'С какого номера линии Mango звонит клиенту при обратном звонке группой.'
      },
      crm_source_by_line: {
        label: 'Источник клиента по номеру линии',
        help: 'Новому клиенту записывается номер линии, на которую он позвонил, и источник CRM этой линии — так видно, с какого сайта или рекламы пришёл клиент.'
      }
    }
  }
}

const en: typeof ru = {
  integrationPage: {
    title: 'Integration',
    mango: {
      title: 'Mango Office connection',
      intro: 'The keys are in the Mango account: Integrations → API connector.',
      connected: 'VPBX connected {at}',
      not_connected: 'No VPBX is connected.',
      api_key: 'VPBX unique code (API key)',
      api_salt: 'Signing key (salt)',
      salt_hint: 'The salt is stored encrypted and never shown. To change the keys, enter both.',
      save: 'Save the keys',
      webhook: 'Notification address (enter it in Mango as the external system’s address)',
      copy: 'Copy',
      copied: 'Copied',
      check: 'Check the connection',
      checking: 'Checking…',
      directory: 'Employees in the VPBX directory: {n}'
    },
    employees: {
      title: 'Employees: extensions ↔ Bitrix24 users',
      intro: 'An employee’s call goes to the user their extension is linked to. Links made by hand win over automatic ones.',
      refresh: 'Load the directory from Mango',
      refresh_queued: 'The directory is loading; the list updates in a few seconds.',
      col: { extension: 'Extension', mango: 'In Mango', user: 'Bitrix24 user', source: 'Linked by' },
      source: {
        manual: 'by hand',
        crm: 'internal number',
        pbx: 'e-mail',
        none: 'not linked'
      },
      not_in_pbx: 'not in the VPBX directory',
      pick: 'Choose a user',
      link: 'Link',
      unlink: 'Unlink',
      empty: 'The employee directory is empty: connect the VPBX or load the directory.'
    },
    flags: {
      title: 'Call handling',
      sections: {
        incoming: 'Incoming calls',
        routing: 'Routing to the responsible',
        deals: 'Deals from calls',
        missed: 'Missed calls',
        outgoing: 'Outgoing calls',
        employees: 'Calls of unlinked employees',
        callbacks: 'Callbacks from CRM forms',
        sources: 'Source by line number'
      },
      section_help: {
        routing:
          'For a call to be transferred to the responsible, set up the distribution scheme in the MANGO OFFICE account: “Voice menu” → “Voice menu and call distribution” → the “Settings for incoming lines” tab. Before distributing the call add a greeting of at least 5 seconds (silence will do) and set “wait for the end” to “yes”. If the responsible is not found, dismissed or not linked to an extension, the call is distributed by this scheme as usual.'
      },
      entity: { contact: 'contact', company: 'company', lead: 'lead' },
      none_field: 'Do not write',
      none_user: 'None',
      none_stage: 'The pipeline’s first stage',
      default_pipeline: 'The default pipeline',
      bad_extension: 'An extension is 1 to 16 digits.',
      bad_number: 'A line number is 5 to 20 digits, no spaces or signs.',
      bad_range: 'A whole number from {min} to {max}.',
      bad_line: 'A line number is digits only, up to 20.',
      bad_field: 'A user field code like UF_CRM_LINE (capital Latin letters, digits, _).'
    },
    lines: {
      line: 'Line number',
      source: 'Source',
      add: 'Add a line',
      remove: 'Remove',
      none: 'No sources by line are set.',
      pick: 'Choose a source'
    },
    line_numbers: {
      seconds: 'Seconds',
      none: 'All lines use the common length.'
    },
    fields: {
      answered_new_number: {
        label: 'Answered incoming call from a new number',
        help: 'What to create in the CRM when a number it does not know calls and the call is answered. Creator and responsible: the employee who answered first (or last, with “Responsible is the last handler”). Name: “Новый (16:30 05.03.2018, входящий вызов)”.',
        options: clientOptionsEn
      },
      missed_new_number: {
        label: 'Missed incoming call from a new number',
        help: 'What to create in the CRM after a missed call from an unknown number. Responsible: the employee the call was offered to (or the one chosen below for IVR and groups).',
        options: clientOptionsEn
      },
      responsible_is_last_handler: {
        label: 'Responsible is the last handler',
        help: 'On: after transfers, the new client’s responsible is the employee who handled the call last. Off: the one who answered first.'
      },
      deal_category_id: {
        label: 'Deals of answered calls: pipeline',
        help: 'The pipeline deals of answered calls are created in (new clients with “A client and a deal”, and repeated calls).'
      },
      deal_stage_id: {
        label: 'Deals of answered calls: stage',
        help: 'The stage of the chosen pipeline a deal starts at; empty: the pipeline’s first stage.'
      },
      missed_deal_category_id: {
        label: 'Deals of missed calls: pipeline',
        help: 'The pipeline deals of missed calls are created in.'
      },
      missed_deal_stage_id: {
        label: 'Deals of missed calls: stage',
        help: 'The stage of the chosen pipeline a missed call’s deal starts at; empty: the pipeline’s first stage.'
      },
      repeated_call_deal: {
        label: 'Repeated calls from clients',
        help: '“Do not create a deal”: the call only shows in the client’s card; “Always create a deal”: a new deal on every call; “Create if none is open”: a deal only when the client has no deal in progress.',
        options: {
          never: 'Do not create a deal',
          always: 'Always create a deal',
          if_none_open: 'Create if none is open'
        }
      },
      client_phone_format: {
        label: 'Phone number format',
        help: 'How the number of automatically created clients is written: +79001234567, +7 900 123-45-67 or 89001234567.',
        options: {
          plus_digits: '+79001234567',
          international: '+7 900 123-45-67',
          national_8: '89001234567'
        }
      },
      route_to_responsible: {
        label: 'Route calls from clients to their responsible employees',
        help: 'If the CRM knows the caller’s number, the call is transferred to the client’s responsible while the greeting plays. If the responsible is dismissed, blocked, not linked to an extension or is a client themselves, the call follows the VPBX scheme.'
      },
      route_greeting_seconds: {
        label: 'Greeting length, s',
        help: 'How many seconds the greeting plays before distribution; a call can be transferred only within this time. Must match the scheme in the VPBX.'
      },
      route_greeting_seconds_by_line: {
        label: 'Greeting length by line',
        help: 'A greeting length of its own for lines where it differs from the common one.'
      },
      route_only_at_work: {
        label: 'Only if the responsible’s working day has started',
        help: 'On: a call is not transferred to a responsible whose working day has not started in the CRM’s time tracking.'
      },
      line_as_source: {
        label: 'Record the source of incoming calls',
        help: 'On: a created client keeps the MANGO OFFICE line number the client called (source and source description), usable in filters. Off: the line number is not recorded.'
      },
      line_number_field: {
        label: 'Field “MANGO OFFICE line number”',
        help: 'A user field of contacts, companies and leads the line number is written to; it can be used in filters and reports.'
      },
      missed_in_ivr_extension: {
        label: 'Responsible for calls missed in the IVR',
        help: 'The employee’s extension: a client is created for them when a call is missed in the voice menu. Empty: no client for such calls. Works only when missed calls from a new number create something (not “Do nothing”).'
      },
      missed_in_group_extension: {
        label: 'Responsible for calls missed in a group',
        help: 'The extension of the employee who becomes responsible for the client when a group misses a call. Empty: the first employee the call was offered to. Works only when missed calls from a new number create something (not “Do nothing”).'
      },
      outgoing_new_number_creates_client: {
        label: 'Create a client on an outgoing call to a new number',
        help: 'On: calling a number the CRM does not know creates a client “Новый (…, исходящий вызов)”; creator and responsible are the caller.'
      },
      unmapped_employee_calls: {
        label: 'Call of an employee linked to no user',
        help: 'What to do with a call of an extension that is linked to no Bitrix24 user.',
        options: {
          record_without_card: 'Record the call without a card',
          catch_all_card: 'Show the card to the chosen user'
        }
      },
      catch_all_user_id: {
        label: 'Default user',
        help: 'Who gets (and, if chosen, sees) calls without a linked employee and calls missed before reaching anyone.'
      },
      callback_extension: {
        label: 'Who calls back on a CRM form request',
        help: 'The extension Mango rings first to connect to the client. Or set a group and a line.'
      },
      callback_group: {
        label: 'Group for callbacks',
        help: 'The VPBX group that calls back on form requests (instead of one employee).'
      },
      callback_line_number: {
        label: 'Line for group callbacks',
        help: 'The line number Mango calls the client from on a group callback.'
      },
      crm_source_by_line: {
        label: 'Client source by line number',
        help: 'A new client gets the line number they called and that line’s CRM source, so you see which site or ad brought them.'
      }
    }
  }
}

export const messages = { ru, en }
