// Texts of «Роли» (the list and the editor).
const ru = {
  roles: {
    title: 'Роли',
    intro: 'Роль решает, что оператор видит в карточке звонка: поля клиента, кнопки и скрипты. Пользователю роль назначают в разделе «Пользователи».',
    create: 'Создать роль',
    new_title: 'Новая роль',
    edit_title: 'Роль «{name}»',
    empty: 'Ролей пока нет.',
    col: { name: 'Название', flags: 'Права', contents: 'В карточке' },
    system: 'Системная',
    keep_open: 'Карточка остаётся открытой',
    manage: 'Управляет настройками',
    contents: 'Поля: {fields}, кнопки: {buttons}, скрипты: {scripts}',
    name: 'Название',
    flags: 'Права',
    keep_open_help: 'После звонка карточка не закрывается сама — для работы после разговора.',
    manage_help: 'Может менять настройки opdesk: кнопки, скрипты, роли, пользователей и интеграцию.',
    supervisor_note: 'Это системная роль «Супервайзер»: её нельзя удалить, она всегда управляет настройками, и у неё всегда остаётся хотя бы один активный пользователь.',
    supervisor_manage: 'У роли «Супервайзер» это право есть всегда.',
    client_fields: 'Поля на вкладке «Клиент»',
    client_fields_help: 'Отметьте поля CRM, которые оператор увидит и сможет изменить.',
    filter: 'Найти поле',
    chosen: 'выбрано {count}',
    buttons: 'Кнопки',
    scripts: 'Скрипты',
    no_buttons: 'Кнопок пока нет.',
    no_scripts: 'Скриптов пока нет.',
    not_published: 'не опубликован',
    no_crm: 'Поля CRM не загрузились: {message}',
    delete_system: 'Системную роль удалить нельзя.',
    entity: { lead: 'Лид', deal: 'Сделка', contact: 'Контакт', company: 'Компания' },
    refusal: {
      system_delete: 'Роль «Супервайзер» удалить нельзя.',
      system_manage: 'Роль «Супервайзер» всегда управляет настройками — это право снять нельзя.',
      held: 'Роль назначена пользователям — сначала дайте им другую роль в разделе «Пользователи».',
      name_taken: 'Роль с таким названием уже есть.'
    }
  }
}

const en: typeof ru = {
  roles: {
    title: 'Roles',
    intro: 'A role decides what an operator sees in the call card: client fields, buttons and scripts. Users get roles in the Users section.',
    create: 'Create a role',
    new_title: 'New role',
    edit_title: 'Role “{name}”',
    empty: 'No roles yet.',
    col: { name: 'Name', flags: 'Rights', contents: 'In the card' },
    system: 'System',
    keep_open: 'The card stays open',
    manage: 'Manages settings',
    contents: 'Fields: {fields}, buttons: {buttons}, scripts: {scripts}',
    name: 'Name',
    flags: 'Rights',
    keep_open_help: 'The card does not close by itself after the call, for after-call work.',
    manage_help: 'May change opdesk’s settings: buttons, scripts, roles, users and the integration.',
    supervisor_note: 'This is the system role “Supervisor”: it cannot be deleted, it always manages settings, and at least one active user always holds it.',
    supervisor_manage: 'The Supervisor role always has this right.',
    client_fields: 'Fields of the Client tab',
    client_fields_help: 'Tick the CRM fields the operator sees and may change.',
    filter: 'Find a field',
    chosen: '{count} chosen',
    buttons: 'Buttons',
    scripts: 'Scripts',
    no_buttons: 'No buttons yet.',
    no_scripts: 'No scripts yet.',
    not_published: 'not published',
    no_crm: 'The CRM fields did not load: {message}',
    delete_system: 'The system role cannot be deleted.',
    entity: { lead: 'Lead', deal: 'Deal', contact: 'Contact', company: 'Company' },
    refusal: {
      system_delete: 'The Supervisor role cannot be deleted.',
      system_manage: 'The Supervisor role always manages settings; this right cannot be taken away.',
      held: 'Users hold this role; give them another one in the Users section first.',
      name_taken: 'A role with this name exists.'
    }
  }
}

export const messages = { ru, en }
