// Texts shared by every settings page: the frame, the navigation and the common pieces in
// common/. A page's own texts live next to it in `<page>.messages.ts` (see i18n.ts). Keep ru and
// en in step; vue-i18n treats { } @ | specially, so texts use {name} placeholders only.
const ru = {
  app: {
    title: 'Настройки opdesk',
    signed_in: 'Вы вошли как {name}',
    loading: 'Загрузка…',
    bootstrap: 'Страницу открыли без данных портала. Откройте приложение opdesk в Битрикс24.',
    me_failed: 'Не удалось узнать ваши права: {message}',
    retry: 'Повторить',
    reauth: 'Портал требует повторной авторизации: администратор портала должен открыть приложение.'
  },
  nav: {
    label: 'Разделы настроек',
    start: 'Начало работы',
    buttons: 'Кнопки',
    scripts: 'Скрипты',
    roles: 'Роли',
    users: 'Пользователи',
    integration: 'Интеграция',
    audit: 'Журнал'
  },
  common: {
    save: 'Сохранить',
    saving: 'Сохранение…',
    saved: 'Сохранено',
    cancel: 'Отмена',
    create: 'Создать',
    edit: 'Изменить',
    delete: 'Удалить',
    deleting: 'Удаление…',
    back: 'Назад к списку',
    confirm_delete: 'Удалить «{name}»? Это нельзя отменить.',
    leave: 'Есть несохранённые изменения. Уйти со страницы и потерять их?',
    load_failed: 'Не удалось загрузить данные: {message}',
    reload: 'Обновить',
    conflict:
      'Пока вы редактировали, кто-то уже изменил эти данные. Обновите страницу, чтобы увидеть новую версию (ваши правки будут потеряны).',
    read_only: 'Вы видите настройки только для чтения: менять их могут роли с правом управления настройками.',
    no_rights: 'Нет прав на этот раздел. Его видят только роли с правом управления настройками.',
    no_seat: 'У вас нет роли в opdesk, поэтому настройки недоступны. Назначить роль может супервайзер.',
    blocked: 'Ваше место в opdesk заблокировано до продления тарифа. Обратитесь к супервайзеру.',
    required: 'Заполните это поле.',
    empty_list: 'Пока ничего нет.',
    yes: 'Да',
    no: 'Нет'
  }
}

const en: typeof ru = {
  app: {
    title: 'opdesk settings',
    signed_in: 'Signed in as {name}',
    loading: 'Loading…',
    bootstrap: 'The page was opened without the portal’s data. Open the opdesk app in Bitrix24.',
    me_failed: 'Could not find out your rights: {message}',
    retry: 'Retry',
    reauth: 'The portal needs re-authorization: a portal administrator must open the app.'
  },
  nav: {
    label: 'Settings sections',
    start: 'Getting started',
    buttons: 'Buttons',
    scripts: 'Scripts',
    roles: 'Roles',
    users: 'Users',
    integration: 'Integration',
    audit: 'Log'
  },
  common: {
    save: 'Save',
    saving: 'Saving…',
    saved: 'Saved',
    cancel: 'Cancel',
    create: 'Create',
    edit: 'Edit',
    delete: 'Delete',
    deleting: 'Deleting…',
    back: 'Back to the list',
    confirm_delete: 'Delete “{name}”? This cannot be undone.',
    leave: 'There are unsaved changes. Leave the page and lose them?',
    load_failed: 'Could not load the data: {message}',
    reload: 'Reload',
    conflict:
      'Someone changed this data while you were editing. Reload to see the new version (your edits will be lost).',
    read_only: 'You see the settings read-only: only roles that may manage settings can change them.',
    no_rights: 'No rights for this section. Only roles that may manage settings see it.',
    no_seat: 'You hold no opdesk role, so the settings are closed to you. A supervisor can give you one.',
    blocked: 'Your opdesk seat is blocked until the subscription is renewed. Ask a supervisor.',
    required: 'Fill in this field.',
    empty_list: 'Nothing here yet.',
    yes: 'Yes',
    no: 'No'
  }
}

export const messages = { ru, en }
