// Texts of the «Мегаплан» page (MegaplanApp.vue, MegaplanPage.vue) and the Megaplan wording of
// the shared integration settings (integrationPage.megaplan.<key>: a label, help or option that
// SettingField.vue and IntegrationPage.vue take over the common one for Megaplan accounts). The
// flags' words are seed 004's («Дополнительные настройки интеграции»).
const ru = {
  megaplanPage: {
    title: 'Мегаплан',
    signin: {
      title: 'Вход в настройки интеграции',
      intro: 'Аккаунт {host}. Войдите логином и паролем администратора Мегаплана: пароль передаётся Мегаплану один раз и нигде не сохраняется.',
      login: 'Логин',
      password: 'Пароль',
      submit: 'Войти',
      busy: 'Входим…',
      ended: 'Сеанс закончился. Войдите снова.',
      failed: 'Не удалось войти: {message}'
    },
    account: {
      title: 'Подключение к Мегаплану',
      host: 'Аккаунт',
      login: 'Сотрудник интеграции',
      token: 'Токен интеграции',
      expires: 'действует до {at}',
      state: {
        ok: 'работает',
        expiring: 'скоро закончится — войдите заново',
        expired: 'закончился — войдите заново',
        refused: 'Мегаплан его отклонил — войдите заново'
      },
      relogin: 'Войти заново',
      relogin_title: 'Войти заново под сотрудником интеграции',
      relogin_help:
        'Токен Мегаплана действует 48 часов, а пароль opdesk не хранит, поэтому перед окончанием токена (или если Мегаплан его отклонил) войдите заново. Рекомендуем завести в Мегаплане отдельного сотрудника для интеграции: его права должны охватывать всех клиентов и сделки (ответы Мегаплана подчиняются правам), и он станет ответственным по умолчанию. Пока токен не работает, звонки ждут и не теряются.',
      save: 'Войти и сохранить токен',
      cancel: 'Отмена',
      done: 'Токен обновлён.'
    }
  },
  integrationPage: {
    megaplan: {
      settings_title: 'Дополнительные настройки интеграции',
      flags: {
        none_stage: 'Начальный статус схемы',
        default_pipeline: 'Не выбрана — выберите схему',
        sections: {
          incoming: 'Обработка входящих звонков',
          deals: 'Автоматическое создание процессов (сделок)',
          missed: 'Пропущенные звонки',
          outgoing: 'Обработка исходящих звонков',
          sources: 'Источник при входящих звонках'
        }
      },
      employees: {
        title: 'Сотрудники: внутренние номера ↔ сотрудники Мегаплана',
        intro:
          'Внутренний номер Mango связывается с сотрудником Мегаплана автоматически: по телефону или внутреннему номеру в карточке сотрудника, затем по e-mail. Связи вручную важнее автоматических. Звонки несвязанных номеров записываются без ответственного сотрудника.',
        col: { user: 'Сотрудник Мегаплана' },
        source: { crm: 'по телефону в карточке' },
        pick: 'Выберите сотрудника'
      },
      answered_new_number: {
        label: 'Автоматически создавать клиента при принятых входящих звонках',
        help: '«Ничего не делать» — клиент для нового номера не создаётся. «Клиента» — сразу после приёма вызова создаётся клиент с именем вида «Новый (16:30 05.03.2018, входящий вызов)»; создатель и ответственный — сотрудник, первым принявший звонок. «Клиента и процесс» — ещё и сделка (процесс) в выбранной ниже схеме и статусе.',
        options: { none: 'Ничего не делать', client: 'Клиента', client_and_deal: 'Клиента и процесс' }
      },
      missed_new_number: {
        label: 'Автоматически создавать клиента при пропущенных входящих звонках',
        help: 'Для пропущенного звонка с нового номера. Клиент создаётся сразу после завершения вызова; создатель и ответственный — сотрудник, на которого звонок был распределён и пропущен (или выбранный ниже для IVR и групп).',
        options: { none: 'Ничего не делать', client: 'Клиента', client_and_deal: 'Клиента и процесс' }
      },
      responsible_is_last_handler: {
        label: 'Обновлять ответственного при переводах входящих вызовов',
        help: 'Включено: ответственным в новом клиенте станет сотрудник, который последним обрабатывал звонок (например, менеджер, на которого перевёл оператор). Выключено: тот, кто первым обработал звонок.'
      },
      deal_category_id: {
        label: 'Процесс при принятых звонках: вид (схема)',
        help: 'В какой схеме Мегаплана создаётся сделка при «Клиента и процесс» и при повторных звонках.'
      },
      deal_stage_id: {
        label: 'Процесс при принятых звонках: статус',
        help: 'На каком статусе выбранной схемы создаётся сделка; начальный — статус, с которого схема начинается.'
      },
      missed_deal_category_id: {
        label: 'Процесс при пропущенных звонках: вид (схема)',
        help: 'В какой схеме Мегаплана создаётся сделка по пропущенному звонку.'
      },
      missed_deal_stage_id: {
        label: 'Процесс при пропущенных звонках: статус',
        help: 'На каком статусе выбранной схемы создаётся сделка по пропущенному звонку.'
      },
      repeated_call_deal: {
        help: 'Клиент может позвонить повторно: звонок всегда отражается в карточке клиента, а процесс создаётся по выбранному правилу.',
        options: {
          never: 'Не создавать процесс для имеющегося клиента',
          always: 'Всегда создавать процесс для имеющегося клиента',
          if_none_open: 'Создавать процесс, если нет открытых'
        }
      },
      route_to_responsible: {
        help: 'Если флаг включён, при входящем звонке приложение найдёт клиента по номеру и его ответственного и распределит звонок на этого сотрудника. Несколько клиентов с одним номером — выбирается первый найденный; несколько ответственных — первый не заблокированный и не удалённый; ответственный-клиент не учитывается.'
      },
      line_as_source: {
        help: 'Если включено, номер линии MANGO OFFICE, на который звонил клиент, сохраняется в поле клиента «Линия» (поле аккаунта с таким названием); его можно выбирать в фильтрах и отчётах. Если выключено, номер линии не сохраняется.'
      },
      missed_in_ivr_extension: {
        label: 'Указать ответственного при пропущенных звонках в IVR',
        help: 'Внутренний номер сотрудника: при звонке нового клиента, пропущенном в голосовом меню, создаётся клиент с этим ответственным. Пусто — для таких звонков клиент не создаётся.'
      },
      missed_in_group_extension: {
        label: 'Указать ответственного при пропущенных звонках в группу',
        help: 'Внутренний номер сотрудника, который станет ответственным за нового клиента при звонке, пропущенном группой. Пусто — первый сотрудник, на которого распределялся вызов.'
      },
      outgoing_new_number_creates_client: {
        label: 'Автоматически создавать клиента при исходящих звонках',
        help: 'Включено: при звонке на номер, которого нет в Мегаплане, создаётся клиент «Новый (16:30 05.03.2018, исходящий вызов)»; создатель и ответственный — сотрудник, совершивший звонок.'
      }
    }
  }
}

const en: typeof ru = {
  megaplanPage: {
    title: 'Megaplan',
    signin: {
      title: 'Sign in to the integration settings',
      intro: 'Account {host}. Sign in with a Megaplan administrator\'s login and password: the password goes to Megaplan once and is never stored.',
      login: 'Login',
      password: 'Password',
      submit: 'Sign in',
      busy: 'Signing in…',
      ended: 'The session has ended. Sign in again.',
      failed: 'Could not sign in: {message}'
    },
    account: {
      title: 'Connection to Megaplan',
      host: 'Account',
      login: 'Integration employee',
      token: 'Integration token',
      expires: 'valid until {at}',
      state: {
        ok: 'works',
        expiring: 'ends soon — sign in again',
        expired: 'has ended — sign in again',
        refused: 'Megaplan refused it — sign in again'
      },
      relogin: 'Sign in again',
      relogin_title: 'Sign in again as the integration employee',
      relogin_help:
        'A Megaplan token lasts 48 hours and opdesk keeps no password, so sign in again before the token ends (or when Megaplan refused it). We recommend a dedicated integration employee in Megaplan: their rights must cover every client and deal (Megaplan\'s answers obey rights), and they become the default responsible. While the token does not work, calls wait and nothing is lost.',
      save: 'Sign in and keep the token',
      cancel: 'Cancel',
      done: 'The token is renewed.'
    }
  },
  integrationPage: {
    megaplan: {
      settings_title: 'Additional integration settings',
      flags: {
        none_stage: 'The scheme\'s initial status',
        default_pipeline: 'None chosen — choose a scheme',
        sections: {
          incoming: 'Incoming calls',
          deals: 'Creating processes (deals)',
          missed: 'Missed calls',
          outgoing: 'Outgoing calls',
          sources: 'Source of incoming calls'
        }
      },
      employees: {
        title: 'Employees: extensions ↔ Megaplan employees',
        intro:
          'A Mango extension is linked to a Megaplan employee automatically: by a phone or extension in the employee\'s card, then by e-mail. Manual links win over automatic ones. Calls of unlinked extensions are recorded without a responsible employee.',
        col: { user: 'Megaplan employee' },
        source: { crm: 'by a phone in the card' },
        pick: 'Choose an employee'
      },
      answered_new_number: {
        label: 'Create a client for answered incoming calls',
        help: '"Do nothing": no client for a new number. "A client": right after the answer a client named like "Новый (16:30 05.03.2018, входящий вызов)" is created; creator and responsible are the employee who answered first. "A client and a process": also a deal (process) in the scheme and status chosen below.',
        options: { none: 'Do nothing', client: 'A client', client_and_deal: 'A client and a process' }
      },
      missed_new_number: {
        label: 'Create a client for missed incoming calls',
        help: 'For a missed call from a new number. The client is created when the call ends; creator and responsible are the employee the call was offered to and missed (or the one chosen below for IVR and groups).',
        options: { none: 'Do nothing', client: 'A client', client_and_deal: 'A client and a process' }
      },
      responsible_is_last_handler: {
        label: 'Update the responsible on transfers of incoming calls',
        help: 'On: a new client\'s responsible is the employee who handled the call last (e.g. the manager the operator transferred to). Off: the one who handled it first.'
      },
      deal_category_id: {
        label: 'Process for answered calls: kind (scheme)',
        help: 'The Megaplan scheme deals are created in for "A client and a process" and for repeated calls.'
      },
      deal_stage_id: {
        label: 'Process for answered calls: status',
        help: 'The status of the chosen scheme a deal is created in; initial is the one the scheme starts with.'
      },
      missed_deal_category_id: {
        label: 'Process for missed calls: kind (scheme)',
        help: 'The Megaplan scheme deals for missed calls are created in.'
      },
      missed_deal_stage_id: {
        label: 'Process for missed calls: status',
        help: 'The status of the chosen scheme a deal for a missed call is created in.'
      },
      repeated_call_deal: {
        help: 'A client may call again: the call always shows in the client\'s card, and a process is created by the chosen rule.',
        options: {
          never: 'Do not create a process for an existing client',
          always: 'Always create a process for an existing client',
          if_none_open: 'Create a process if none is open'
        }
      },
      route_to_responsible: {
        help: 'When on, an incoming call\'s client and their responsible are found by the number and the call goes to that employee. Several clients with one number: the first found; several responsibles: the first not blocked or deleted; a client as responsible is ignored.'
      },
      line_as_source: {
        help: 'When on, the MANGO OFFICE line the client called is kept in the client\'s «Линия» field (the account\'s field of that name), usable in filters and reports. When off, the line is not kept.'
      },
      missed_in_ivr_extension: {
        label: 'Responsible for calls missed in the IVR',
        help: 'An employee\'s extension: a new caller lost in the voice menu becomes a client with this responsible. Empty: no client for such calls.'
      },
      missed_in_group_extension: {
        label: 'Responsible for calls missed in a group',
        help: 'The extension of the employee who becomes a new client\'s responsible when a group missed the call. Empty: the first employee the call was offered to.'
      },
      outgoing_new_number_creates_client: {
        label: 'Create a client for outgoing calls',
        help: 'On: a call to a number Megaplan does not know creates a client "Новый (16:30 05.03.2018, исходящий вызов)"; creator and responsible are the employee who called.'
      }
    }
  }
}

export const messages = { ru, en }
