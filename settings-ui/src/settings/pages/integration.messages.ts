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
        deals: 'Автоматические сделки',
        missed: 'Пропущенные звонки',
        outgoing: 'Исходящие звонки',
        employees: 'Звонки сотрудников без связи',
        callbacks: 'Обратный звонок из CRM-форм',
        sources: 'Источник по номеру линии'
      },
      none_user: 'Не выбран',
      none_stage: 'Первая стадия воронки',
      bad_extension: 'Внутренний номер — от 1 до 16 цифр.',
      bad_number: 'Номер линии — от 5 до 20 цифр, без пробелов и знаков.'
    },
    lines: {
      line: 'Номер линии',
      source: 'Источник',
      add: 'Добавить линию',
      remove: 'Удалить',
      none: 'Источники по линиям не заданы.',
      pick: 'Выберите источник'
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
        label: 'Воронка для новых сделок',
        help: 'В какой воронке создавать сделку, когда выбрано «Клиента и сделку».'
      },
      deal_stage_id: {
        label: 'Стадия новой сделки',
        help: 'На какой стадии выбранной воронки создавать сделку; пусто — на первой.'
      },
      missed_in_ivr_extension: {
        label: 'Ответственный за пропущенные в голосовом меню (IVR)',
        help: 'Внутренний номер сотрудника: на него создаётся клиент при звонке, пропущенном в IVR. Пусто — для таких звонков клиент не создаётся.'
      },
      missed_in_group_extension: {
        label: 'Ответственный за пропущенные в группе',
        help: 'Внутренний номер сотрудника, который станет ответственным за клиента при звонке, пропущенном группой. Пусто — первый сотрудник, которому распределялся звонок.'
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
        deals: 'Automatic deals',
        missed: 'Missed calls',
        outgoing: 'Outgoing calls',
        employees: 'Calls of unlinked employees',
        callbacks: 'Callbacks from CRM forms',
        sources: 'Source by line number'
      },
      none_user: 'None',
      none_stage: 'The pipeline’s first stage',
      bad_extension: 'An extension is 1 to 16 digits.',
      bad_number: 'A line number is 5 to 20 digits, no spaces or signs.'
    },
    lines: {
      line: 'Line number',
      source: 'Source',
      add: 'Add a line',
      remove: 'Remove',
      none: 'No sources by line are set.',
      pick: 'Choose a source'
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
        label: 'Pipeline for new deals',
        help: 'The pipeline a deal is created in when “A client and a deal” is chosen.'
      },
      deal_stage_id: {
        label: 'Stage of a new deal',
        help: 'The stage of the chosen pipeline a deal starts at; empty: the first one.'
      },
      missed_in_ivr_extension: {
        label: 'Responsible for calls missed in the IVR',
        help: 'The employee’s extension: a client is created for them when a call is missed in the voice menu. Empty: no client for such calls.'
      },
      missed_in_group_extension: {
        label: 'Responsible for calls missed in a group',
        help: 'The extension of the employee who becomes responsible for the client when a group misses a call. Empty: the first employee the call was offered to.'
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
