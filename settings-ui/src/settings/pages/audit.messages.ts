// Texts of the «Журнал» page (AuditPage.vue). ru first, en second, same shape.
const ru = {
  auditPage: {
    title: 'Журнал',
    intro: 'Кто, когда и что менял в настройках opdesk.',
    filter: {
      actor: 'Кто',
      anyone: 'Все',
      object_type: 'Что',
      any_object: 'Все объекты',
      object_id: 'ID объекта',
      apply: 'Показать',
      reset: 'Сбросить'
    },
    more: 'Показать ещё',
    empty: 'Записей нет.',
    actors: { system: 'Система', vendor: 'Поставщик opdesk', unknown: 'Пользователь {id}' },
    col: { at: 'Когда', actor: 'Кто', action: 'Действие', object: 'Объект', changes: 'Изменения' },
    objects: {
      button: 'Кнопка',
      role: 'Роль',
      script: 'Скрипт',
      user: 'Пользователь',
      tenant: 'Портал',
      portal: 'Портал',
      job: 'Задание',
      extension: 'Внутренний номер',
      mango_connection: 'Подключение Mango',
      integration_settings: 'Настройки интеграции'
    },
    actions: {
      create: 'создание',
      update: 'изменение',
      delete: 'удаление',
      publish: 'публикация',
      import: 'импорт',
      role: 'смена роли',
      lapse: 'окончание оплаты',
      set: 'смена тарифа',
      link: 'связь вручную',
      unlink: 'связь снята',
      connect: 'подключение',
      reconnect: 'новые ключи',
      retry: 'повтор',
      limits: 'лимиты',
      uninstall: 'удаление приложения',
      not_configured: 'не настроено'
    },
    diff: { created: 'создано', deleted: 'удалено', none: 'без изменений', empty: '(пусто)' }
  }
}

const en: typeof ru = {
  auditPage: {
    title: 'Log',
    intro: 'Who changed what in the opdesk settings, and when.',
    filter: {
      actor: 'Who',
      anyone: 'Everyone',
      object_type: 'What',
      any_object: 'All objects',
      object_id: 'Object ID',
      apply: 'Show',
      reset: 'Reset'
    },
    more: 'Show more',
    empty: 'No entries.',
    actors: { system: 'System', vendor: 'opdesk vendor', unknown: 'User {id}' },
    col: { at: 'When', actor: 'Who', action: 'Action', object: 'Object', changes: 'Changes' },
    objects: {
      button: 'Button',
      role: 'Role',
      script: 'Script',
      user: 'User',
      tenant: 'Portal',
      portal: 'Portal',
      job: 'Job',
      extension: 'Extension',
      mango_connection: 'Mango connection',
      integration_settings: 'Integration settings'
    },
    actions: {
      create: 'created',
      update: 'changed',
      delete: 'deleted',
      publish: 'published',
      import: 'imported',
      role: 'role changed',
      lapse: 'paid period ended',
      set: 'plan changed',
      link: 'linked by hand',
      unlink: 'link removed',
      connect: 'connected',
      reconnect: 'new keys',
      retry: 'retried',
      limits: 'limits',
      uninstall: 'app removed',
      not_configured: 'not configured'
    },
    diff: { created: 'created', deleted: 'deleted', none: 'no changes', empty: '(empty)' }
  }
}

export const messages = { ru, en }
