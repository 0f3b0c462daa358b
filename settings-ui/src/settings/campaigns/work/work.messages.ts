// Texts of the operator's work page (WorkPage.vue, route /campaigns/:id/work). The call card's
// script runner (ScriptTab, FieldEditor) is mounted here too and reads its texts at the top level
// (`loading`, `script.*`, `client.*`): they come from the call card's own table, not copied.
import { messages as card } from '../../../callcard/messages'

const ru = {
  loading: card.ru.loading,
  script: card.ru.script,
  client: { locked: card.ru.client.locked, add: card.ru.client.add, remove: card.ru.client.remove },
  work: {
    title: 'Работа по обзвону «{name}»',
    back: 'К обзвону',
    start: 'Приступить к работе',
    one_by_one: 'По одному',
    list_mode: 'Списком',
    nothing: 'Сейчас звонить некому.',
    next_due: 'Следующий контакт появится {time}.',
    never_due: 'Новых контактов нет, перезвонов не запланировано.',
    not_running: 'Обзвон не запущен: работа недоступна.',
    script_deleted: 'Скрипт обзвона удалён: руководитель должен выбрать другой.',
    not_employee: 'Вы не участвуете в этом обзвоне. Попросите руководителя добавить вас.',
    status: { new: 'Новый', in_work: 'В работе', done: 'Завершён' },
    result_name: {
      talked: 'Поговорили',
      no_answer: 'Не дозвонились',
      call_back: 'Перезвонить',
      refused: 'Отказ',
      wrong_number: 'Неверный номер'
    },
    contact: {
      title: 'Контакт',
      phone: 'Номер',
      name: 'Имя',
      status: 'Статус',
      attempts: 'Попыток',
      due: 'Запланирован на',
      last_comment: 'Прошлый комментарий',
      no_name: 'без имени'
    },
    call: {
      button: 'Позвонить',
      connecting: 'Соединяем…',
      connected: 'Соединено',
      failed: 'Не удалось ({code})',
      failed_plain: 'Не удалось'
    },
    script_title: 'Скрипт',
    no_script: 'Скрипт недоступен: {message}',
    result: {
      title: 'Результат звонка',
      remind_at: 'Напомнить',
      remind_none: 'Не напоминать',
      at: 'Дата и время',
      comment: 'Комментарий',
      save: 'Сохранить',
      saved: 'Результат сохранён: {result}.',
      next: 'Следующий контакт',
      required: 'Выберите результат.',
      at_required: 'Укажите дату и время.',
      at_past: 'Время должно быть в будущем.',
      at_bad: 'Неверная дата.'
    },
    list: {
      title: 'Доступные контакты',
      empty: 'Свободных контактов нет.',
      open: 'Открыть',
      refresh: 'Обновить',
      taken: 'Контакт уже занят: {message}',
      mine: 'мой'
    },
    conflict: 'Контакт изменился, пока вы работали: показаны свежие данные.',
    reminders: {
      title: 'Перезвоны',
      due: 'пора',
      open: 'Открыть',
      none: 'Запланированных перезвонов нет.'
    }
  }
}

type Shape = typeof ru

const en: Shape = {
  loading: card.en.loading,
  script: card.en.script,
  client: { locked: card.en.client.locked, add: card.en.client.add, remove: card.en.client.remove },
  work: {
    title: 'Working the task «{name}»',
    back: 'To the task',
    start: 'Start working',
    one_by_one: 'One by one',
    list_mode: 'As a list',
    nothing: 'Nobody to call right now.',
    next_due: 'The next contact becomes due {time}.',
    never_due: 'No new contacts and no callbacks planned.',
    not_running: 'The task is not running: work is not available.',
    script_deleted: "The task's script was deleted: a manager must choose another one.",
    not_employee: 'You do not work this task. Ask a manager to add you.',
    status: { new: 'New', in_work: 'In work', done: 'Done' },
    result_name: {
      talked: 'Talked',
      no_answer: 'No answer',
      call_back: 'Call back',
      refused: 'Refused',
      wrong_number: 'Wrong number'
    },
    contact: {
      title: 'Contact',
      phone: 'Number',
      name: 'Name',
      status: 'Status',
      attempts: 'Attempts',
      due: 'Planned for',
      last_comment: 'Last comment',
      no_name: 'no name'
    },
    call: {
      button: 'Call',
      connecting: 'Connecting…',
      connected: 'Connected',
      failed: 'Failed ({code})',
      failed_plain: 'Failed'
    },
    script_title: 'Script',
    no_script: 'The script is not available: {message}',
    result: {
      title: 'Call result',
      remind_at: 'Remind me',
      remind_none: 'Do not remind',
      at: 'Date and time',
      comment: 'Comment',
      save: 'Save',
      saved: 'Result saved: {result}.',
      next: 'Next contact',
      required: 'Choose a result.',
      at_required: 'Enter a date and time.',
      at_past: 'The time must be in the future.',
      at_bad: 'Invalid date.'
    },
    list: {
      title: 'Available contacts',
      empty: 'No free contacts.',
      open: 'Open',
      refresh: 'Refresh',
      taken: 'The contact is taken: {message}',
      mine: 'mine'
    },
    conflict: 'The contact changed while you worked on it: fresh data shown.',
    reminders: {
      title: 'Callbacks',
      due: 'due',
      open: 'Open',
      none: 'No callbacks planned.'
    }
  }
}

export const messages = { ru, en }
