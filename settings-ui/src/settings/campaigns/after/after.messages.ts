// Texts of what follows a dialing task's call: the e-mail templates page, the panel after a
// result (e-mail, recording) and the «Создать счёт» page. Keep ru and en in step.
const ru = {
  after: {
    templates: {
      title: 'Шаблоны писем',
      intro:
        'Письма, которые оператор может отправить клиенту после звонка по заданию обзвона. В теме и тексте можно использовать переменные — они заменятся данными контакта.',
      empty: 'Шаблонов пока нет.',
      add: 'Добавить шаблон',
      name: 'Название',
      subject: 'Тема письма',
      body: 'Текст письма',
      variables: 'Переменные:',
      insert: 'Вставить {name}',
      save: 'Сохранить шаблон',
      created: 'Шаблон сохранён',
      delete: 'Удалить шаблон',
      confirm_delete: 'Удалить шаблон «{name}»?',
      var: {
        CONTACT_NAME: 'имя контакта',
        CONTACT_PHONE: 'номер телефона',
        TASK_NAME: 'название задания',
        OPERATOR_NAME: 'имя оператора',
        CALLBACK_AT: 'время перезвона'
      }
    },
    panel: {
      title: 'После звонка',
      send_email: 'Отправлять письмо',
      email_plan: 'Отправка писем доступна на платных тарифах.',
      not_supported: 'Письма, записи звонков и счета доступны только для портала Битрикс24.',
      template: 'Шаблон',
      no_template: 'Без шаблона',
      to: 'Кому (e-mail клиента)',
      bad_to: "Это не адрес e-mail (например, name{'@'}example.ru).",
      subject: 'Тема',
      body: 'Текст письма',
      copy_to_me: 'Отправить копию на мой e-mail ({email})',
      copy_to_me_unknown: 'Отправить копию на мой e-mail',
      send: 'Отправить письмо',
      sending: 'Отправка…',
      recording: 'Запись звонка',
      recording_hint: 'Файл mp3, wav или ogg до {mb} МБ с вашего компьютера.',
      choose_file: 'Выбрать файл',
      upload: 'Загрузить запись',
      uploading: 'Загрузка… {percent}%',
      too_big: 'Файл больше {mb} МБ.',
      wrong_type: 'Нужен файл mp3, wav или ogg.',
      actions: 'Отправлено по контакту',
      kind: { email: 'Письмо', recording: 'Запись звонка', invoice: 'Счёт' },
      state: { queued: 'отправляется', done: 'готово', failed: 'ошибка' },
      invoice_id: 'счёт № {id}',
      save_and_invoice: 'Сохранить и создать счёт',
      create_invoice: 'Создать счёт'
    },
    invoice: {
      title: 'Создать счёт',
      intro: 'Выберите продукты, при необходимости измените цену и срок отмены счёта.',
      add_product: 'Добавить продукт',
      apply: 'Применить',
      more: 'Показать ещё',
      product: 'Продукт',
      base_price: 'Базовая цена',
      price: 'Цена',
      quantity: 'Количество',
      sum: 'Сумма',
      remove: 'Убрать',
      no_lines: 'Продукты ещё не выбраны.',
      total: 'Итого: {sum}',
      cancel_date: 'Срок отмены счёта',
      cancel_date_hint: 'Оставьте пустым — счёт будет действовать бессрочно.',
      save: 'Сохранить',
      saving: 'Создание счёта…',
      created: 'Счёт создан: № {id}',
      failed: 'Счёт не создан: {message}',
      waiting: 'Счёт создаётся в CRM…',
      back: 'Назад к работе',
      products_failed: 'Не удалось получить продукты из CRM: {message}',
      need_lines: 'Добавьте хотя бы один продукт.'
    }
  }
}

type Shape = typeof ru

const en: Shape = {
  after: {
    templates: {
      title: 'E-mail templates',
      intro:
        'E-mails an operator may send a client after a call of a dialing task. Subject and text may use variables, replaced by the contact’s data.',
      empty: 'No templates yet.',
      add: 'Add a template',
      name: 'Name',
      subject: 'Subject',
      body: 'Text',
      variables: 'Variables:',
      insert: 'Insert {name}',
      save: 'Save the template',
      created: 'Template saved',
      delete: 'Delete the template',
      confirm_delete: 'Delete the template “{name}”?',
      var: {
        CONTACT_NAME: 'contact’s name',
        CONTACT_PHONE: 'phone number',
        TASK_NAME: 'task name',
        OPERATOR_NAME: 'operator’s name',
        CALLBACK_AT: 'callback time'
      }
    },
    panel: {
      title: 'After the call',
      send_email: 'Send an e-mail',
      email_plan: 'E-mail is available on paid plans.',
      not_supported: 'E-mail, call recordings and invoices need a Bitrix24 portal.',
      template: 'Template',
      no_template: 'No template',
      to: 'To (the client’s e-mail)',
      bad_to: "This is not an e-mail address (e.g. name{'@'}example.com).",
      subject: 'Subject',
      body: 'Text',
      copy_to_me: 'Send a copy to my e-mail ({email})',
      copy_to_me_unknown: 'Send a copy to my e-mail',
      send: 'Send the e-mail',
      sending: 'Sending…',
      recording: 'Call recording',
      recording_hint: 'An mp3, wav or ogg file up to {mb} MB from your computer.',
      choose_file: 'Choose a file',
      upload: 'Upload the recording',
      uploading: 'Uploading… {percent}%',
      too_big: 'The file is larger than {mb} MB.',
      wrong_type: 'An mp3, wav or ogg file is needed.',
      actions: 'Sent for this contact',
      kind: { email: 'E-mail', recording: 'Call recording', invoice: 'Invoice' },
      state: { queued: 'sending', done: 'done', failed: 'failed' },
      invoice_id: 'invoice #{id}',
      save_and_invoice: 'Save and create an invoice',
      create_invoice: 'Create an invoice'
    },
    invoice: {
      title: 'Create an invoice',
      intro: 'Choose products, adjust prices and the cancel date if needed.',
      add_product: 'Add a product',
      apply: 'Apply',
      more: 'Show more',
      product: 'Product',
      base_price: 'Base price',
      price: 'Price',
      quantity: 'Quantity',
      sum: 'Sum',
      remove: 'Remove',
      no_lines: 'No products chosen yet.',
      total: 'Total: {sum}',
      cancel_date: 'Cancel date',
      cancel_date_hint: 'Leave empty for an invoice without an end.',
      save: 'Save',
      saving: 'Creating the invoice…',
      created: 'Invoice created: #{id}',
      failed: 'The invoice was not created: {message}',
      waiting: 'The CRM is making the invoice…',
      back: 'Back to work',
      products_failed: 'Could not read the CRM’s products: {message}',
      need_lines: 'Add at least one product.'
    }
  }
}

export const messages = { ru, en }
