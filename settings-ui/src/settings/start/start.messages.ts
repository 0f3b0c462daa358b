// Texts of «Начало работы».
const ru = {
  start: {
    title: 'Начало работы',
    intro: 'Пять шагов, после которых операторы работают с карточкой звонка. Отмеченные шаги уже сделаны.',
    done: 'Сделано',
    todo: 'Не сделано',
    unknown: 'Не удалось проверить',
    go: 'Перейти',
    all_done: 'Все шаги сделаны — opdesk готов к работе. Дальше приложение будет открываться на разделе «Кнопки».',
    dismiss: 'Больше не показывать при входе',
    dismissed: 'Этот раздел больше не открывается первым; он остаётся в меню.',
    restore: 'Показывать снова',
    steps: {
      mango: { title: 'Подключите Манго Офис', text: 'Ключ и подпись ВАТС — в разделе «Интеграция».' },
      employees: { title: 'Сопоставьте сотрудников', text: 'Свяжите добавочные номера Манго с пользователями портала.' },
      button: { title: 'Создайте первую кнопку', text: 'Например, «Перезвонить» или «Лид в работу».' },
      script: { title: 'Создайте первый скрипт', text: 'Или импортируйте готовый из файла и опубликуйте его.' },
      role: { title: 'Настройте роль', text: 'Создайте роль для операторов или дайте роли «Супервайзер» кнопки и скрипты.' }
    }
  }
}

const en: typeof ru = {
  start: {
    title: 'Getting started',
    intro: 'Five steps after which operators work with the call card. Ticked steps are done.',
    done: 'Done',
    todo: 'To do',
    unknown: 'Could not check',
    go: 'Go',
    all_done: 'Every step is done; opdesk is ready. From now on the app opens at Buttons.',
    dismiss: 'Do not show when I open the app',
    dismissed: 'This section no longer opens first; it stays in the menu.',
    restore: 'Show it again',
    steps: {
      mango: { title: 'Connect Mango Office', text: 'The VPBX key and salt, in the Integration section.' },
      employees: { title: 'Map the employees', text: 'Link Mango extensions to the portal’s users.' },
      button: { title: 'Make the first button', text: 'For example “Call back” or “Lead in progress”.' },
      script: { title: 'Make the first script', text: 'Or import one from a file, and publish it.' },
      role: { title: 'Set up a role', text: 'Create a role for operators, or give the Supervisor role buttons and scripts.' }
    }
  }
}

export const messages = { ru, en }
