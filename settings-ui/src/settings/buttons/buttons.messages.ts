// Texts of «Кнопки» (the list and the editor).
const ru = {
  buttons: {
    title: 'Кнопки',
    intro: 'Кнопки результата звонка в карточке: каждая выполняет одно или несколько действий в CRM.',
    create: 'Создать кнопку',
    new_title: 'Новая кнопка',
    edit_title: 'Кнопка «{name}»',
    empty: 'Кнопок пока нет. Создайте первую — например, «Перезвонить».',
    col: { name: 'Название', actions: 'Действия' },
    name: 'Название',
    color: 'Цвет',
    actions: 'Действия',
    add_action: 'Добавить действие',
    remove_action: 'Убрать действие',
    up: 'Выше',
    down: 'Ниже',
    kind: 'Что сделать',
    kinds: {
      comment: 'Комментарий',
      callback: 'Перезвонить',
      meeting: 'Встреча',
      task: 'Задача',
      lead_status: 'Статус лида',
      deal_stage: 'Стадия сделки'
    },
    field: {
      text: 'Текст (шаблон; пусто — оператор напишет сам)',
      deadline: 'Срок',
      title: 'Название задачи',
      description: 'Описание',
      responsible: 'Ответственный',
      status_id: 'Статус лида',
      category_id: 'Воронка',
      stage_id: 'Стадия'
    },
    responsible: { operator: 'Оператор, нажавший кнопку', client_responsible: 'Ответственный за клиента' },
    choose: '— выберите —',
    preview: 'Пример',
    vars: {
      title: 'Переменные шаблонов',
      hint: 'Нажмите на переменную, чтобы вставить её в поле, где стоит курсор.',
      times: 'Время: сдвиги m — минуты, h — часы, d — дни, w — недели, затем ЧЧ:ММ.'
    },
    problem: {
      name_required: 'Укажите название кнопки.',
      name_long: 'Название — не длиннее 64 символов.',
      color: 'Цвет — в виде #RRGGBB.',
      no_actions: 'Добавьте хотя бы одно действие.',
      too_many: 'Не больше 10 действий.',
      one_of: 'Такое действие у кнопки может быть только одно.',
      unclosed: 'Фигурная скобка не закрыта; для самой скобки пишите {example}.',
      unknown: 'Неизвестная переменная {name}.',
      shift: 'Сдвиг времени — число до 9999 и единица m, h, d или w.',
      unit: 'Единица сдвига — m, h, d или w.',
      too_many_shifts: 'Не больше 5 сдвигов.',
      clock: 'Время суток — ЧЧ:ММ, например 10:00.',
      deadline: 'Срок — одно выражение времени, например {example}.'
    },
    no_crm: 'Список статусов и стадий CRM не загрузился: {message}'
  }
}

const en: typeof ru = {
  buttons: {
    title: 'Buttons',
    intro: 'Call result buttons of the call card: each runs one or more actions in the CRM.',
    create: 'Create a button',
    new_title: 'New button',
    edit_title: 'Button “{name}”',
    empty: 'No buttons yet. Create the first one, e.g. “Call back”.',
    col: { name: 'Name', actions: 'Actions' },
    name: 'Name',
    color: 'Color',
    actions: 'Actions',
    add_action: 'Add an action',
    remove_action: 'Remove the action',
    up: 'Up',
    down: 'Down',
    kind: 'What to do',
    kinds: {
      comment: 'Comment',
      callback: 'Call back',
      meeting: 'Meeting',
      task: 'Task',
      lead_status: 'Lead status',
      deal_stage: 'Deal stage'
    },
    field: {
      text: 'Text (a template; empty — the operator types it)',
      deadline: 'Deadline',
      title: 'Task title',
      description: 'Description',
      responsible: 'Responsible',
      status_id: 'Lead status',
      category_id: 'Pipeline',
      stage_id: 'Stage'
    },
    responsible: { operator: 'The operator who pressed it', client_responsible: 'The client’s responsible' },
    choose: '— choose —',
    preview: 'Example',
    vars: {
      title: 'Template variables',
      hint: 'Click a variable to insert it where the cursor is.',
      times: 'Time: shifts m — minutes, h — hours, d — days, w — weeks, then HH:MM.'
    },
    problem: {
      name_required: 'Name the button.',
      name_long: 'The name is at most 64 characters.',
      color: 'The color is #RRGGBB.',
      no_actions: 'Add at least one action.',
      too_many: 'At most 10 actions.',
      one_of: 'A button may have only one action of this kind.',
      unclosed: 'A brace is not closed; write {example} for a brace itself.',
      unknown: 'Unknown variable {name}.',
      shift: 'A time shift is a number up to 9999 and a unit m, h, d or w.',
      unit: 'The unit of a shift is m, h, d or w.',
      too_many_shifts: 'At most 5 shifts.',
      clock: 'The time of day is HH:MM, e.g. 10:00.',
      deadline: 'A deadline is one time expression, e.g. {example}.'
    },
    no_crm: 'The CRM’s statuses and stages did not load: {message}'
  }
}

export const messages = { ru, en }
