// Texts of the «Пользователи» page (UsersPage.vue). ru first, en second, same shape.
const ru = {
  usersPage: {
    title: 'Пользователи',
    intro: 'Пользователи портала и их роли в opdesk. Место занимает каждый, у кого есть роль.',
    refresh: 'Обновить список из Битрикс24',
    refreshing: 'Обновление…',
    search: 'Поиск по имени или e-mail',
    synced: 'Список из Битрикс24 от {at}',
    nobody: 'Никто не подходит под поиск.',
    col: { name: 'Сотрудник', role: 'Роль', status: 'Состояние' },
    no_role: 'Без роли',
    status: {
      active: 'Активен',
      no_role: 'Без роли',
      blocked: 'Заблокирован',
      blocked_lapsed: 'Заблокирован: оплаченный период тарифа закончился',
      blocked_limit: 'Заблокирован: мест по тарифу не хватает',
      deactivated: 'Отключён в Битрикс24'
    },
    deactivated_hint: 'Уволенным в Битрикс24 сотрудникам роль дать нельзя.',
    saved: 'Роль сохранена',
    errors: {
      limit: 'Все места по тарифу заняты: сначала освободите место или перейдите на больший тариф.',
      last_supervisor: 'Это последний активный супервайзер: сначала дайте роль «Супервайзер» кому-то ещё.'
    },
    tariff: {
      title: 'Тариф',
      plan: 'Тариф: {plan}',
      plans: { free: 'Бесплатный', standard: 'Стандарт', unlimited: 'Безлимитный' },
      seats: 'Занято мест: {used} из {limit}',
      seats_unlimited: 'Занято мест: {used}, без ограничения',
      until: 'Оплачен по {date}',
      no_until: 'Без срока',
      lapsed: 'Оплаченный период закончился: роли сохранены только у двух пользователей, остальные заблокированы до оплаты. Данные не потеряны.'
    },
    upgrade: {
      title: 'Все места по тарифу заняты',
      text: 'Чтобы дать роль ещё кому-то, перейдите на тариф для 4 и более пользователей:',
      price: '{months} мес. — {rub} ₽',
      order: 'Заказать тариф',
      contacts: 'Связаться с нами: {contacts}'
    }
  }
}

const en: typeof ru = {
  usersPage: {
    title: 'Users',
    intro: 'The portal’s users and their opdesk roles. Everyone holding a role takes a seat.',
    refresh: 'Reload the list from Bitrix24',
    refreshing: 'Reloading…',
    search: 'Search by name or e-mail',
    synced: 'List from Bitrix24 as of {at}',
    nobody: 'Nobody matches the search.',
    col: { name: 'Employee', role: 'Role', status: 'State' },
    no_role: 'No role',
    status: {
      active: 'Active',
      no_role: 'No role',
      blocked: 'Blocked',
      blocked_lapsed: 'Blocked: the paid period has ended',
      blocked_limit: 'Blocked: the plan has too few seats',
      deactivated: 'Deactivated in Bitrix24'
    },
    deactivated_hint: 'Employees deactivated in Bitrix24 cannot get a role.',
    saved: 'Role saved',
    errors: {
      limit: 'Every seat of the plan is taken: free one first or move to a larger plan.',
      last_supervisor: 'This is the last active Supervisor: give the Supervisor role to someone else first.'
    },
    tariff: {
      title: 'Plan',
      plan: 'Plan: {plan}',
      plans: { free: 'Free', standard: 'Standard', unlimited: 'Unlimited' },
      seats: 'Seats used: {used} of {limit}',
      seats_unlimited: 'Seats used: {used}, no limit',
      until: 'Paid until {date}',
      no_until: 'No end date',
      lapsed: 'The paid period has ended: only two users keep their roles, the others are blocked until payment. No data is lost.'
    },
    upgrade: {
      title: 'Every seat of the plan is taken',
      text: 'To give a role to someone else, move to the plan for 4 or more users:',
      price: '{months} months — {rub} ₽',
      order: 'Order the plan',
      contacts: 'Contact us: {contacts}'
    }
  }
}

export const messages = { ru, en }
