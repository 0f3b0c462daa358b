// Texts of «Приём обращений» (the reception wizard's settings). Keep ru and en in step.
const ru = {
  nav: { reception: 'Приём обращений' },
  receptionPage: {
    title: 'Приём обращений',
    intro:
      'Мастер приёма обращения в карточке звонка: оператор выбирает тип услуги, видит менеджеров отделов, которые её оказывают, и переводит звонок или оформляет обращение.',
    types: 'Типы услуг',
    type_name: 'Название',
    add_type: 'Добавить тип услуги',
    remove: 'Удалить',
    no_types: 'Типов услуг пока нет.',
    departments: 'Подразделения',
    departments_hint: 'Отметьте, какие типы услуг оказывает подразделение и кто из его сотрудников принимает обращения.',
    departments_failed: 'Не удалось получить структуру портала: {message}',
    all_users: 'Все сотрудники подразделения',
    chosen: 'Выбранные сотрудники:',
    users_failed: 'Не удалось получить сотрудников: {message}',
    no_users: 'В подразделении нет сотрудников.',
    ext: 'вн. {ext}',
    inquiry_target: 'Обращение создаётся как',
    target: { lead: 'Лид', deal: 'Сделка' },
    transfer_method: 'Перевод звонка по умолчанию',
    method: { blind: 'Сразу (без консультации)', hold: 'С консультацией' },
    need_manager: 'Выберите хотя бы одного сотрудника или отметьте «Все сотрудники подразделения».',
    need_type_name: 'Укажите название типа услуги; названия не должны повторяться.'
  }
}

type Shape = typeof ru

const en: Shape = {
  nav: { reception: 'Reception' },
  receptionPage: {
    title: 'Reception',
    intro:
      'The inquiry wizard in the call card: the operator picks a service type, sees the managers of the departments that serve it, and transfers the call or registers an inquiry.',
    types: 'Service types',
    type_name: 'Name',
    add_type: 'Add a service type',
    remove: 'Remove',
    no_types: 'No service types yet.',
    departments: 'Departments',
    departments_hint: 'Tick the service types each department serves and who of its staff takes inquiries.',
    departments_failed: 'Could not read the portal structure: {message}',
    all_users: 'Everyone in the department',
    chosen: 'Chosen staff:',
    users_failed: 'Could not read the staff: {message}',
    no_users: 'The department has no staff.',
    ext: 'ext. {ext}',
    inquiry_target: 'An inquiry is created as',
    target: { lead: 'A lead', deal: 'A deal' },
    transfer_method: 'Default call transfer',
    method: { blind: 'Blind', hold: 'Consultative' },
    need_manager: 'Choose at least one person or tick "Everyone in the department".',
    need_type_name: 'Name the service type; names must not repeat.'
  }
}

export const messages = { ru, en }
