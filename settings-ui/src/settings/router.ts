// The settings pages' routes. Hash history: the page itself is the answer to a POST (the portal
// opens the app that way), so the route lives after '#' and a reload posts the same form again.
// Each section is its own lazy chunk. Leaving while a form has unsaved changes asks first.
import { createRouter, createWebHashHistory, type RouteRecordRaw, type Router } from 'vue-router'
import { anyDirty } from './common/dirty'

// The navigation, in this order (FEATURES D; issue 14). `manageOnly`: only roles that may manage
// settings can read the section (docs/API.md).
export const sections = [
  { name: 'start', path: '/start', manageOnly: true },
  { name: 'buttons', path: '/buttons', manageOnly: false },
  { name: 'scripts', path: '/scripts', manageOnly: false },
  { name: 'roles', path: '/roles', manageOnly: false },
  { name: 'campaigns', path: '/campaigns', manageOnly: false },
  { name: 'users', path: '/users', manageOnly: true },
  { name: 'integration', path: '/integration', manageOnly: false },
  { name: 'reception', path: '/reception', manageOnly: false },
  { name: 'audit', path: '/audit', manageOnly: true }
] as const

// The section a route path belongs to: the section itself or one of its sub-routes
// ('/roles/12' belongs to 'roles'); undefined outside every section.
export function sectionOf(path: string): (typeof sections)[number]['name'] | undefined {
  return sections.find((s) => path === s.path || path.startsWith(s.path + '/'))?.name
}

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('./pages/HomeRedirect.vue') },
  { path: '/start', name: 'start', component: () => import('./start/StartPage.vue') },
  { path: '/buttons', name: 'buttons', component: () => import('./buttons/ButtonsPage.vue') },
  { path: '/buttons/:id', name: 'button', component: () => import('./buttons/ButtonEditor.vue'), props: true },
  { path: '/scripts', name: 'scripts', component: () => import('./scripts/ScriptsPage.vue') },
  { path: '/scripts/:id', name: 'script', component: () => import('./scripts/designer/ScriptDesigner.vue'), props: true },
  { path: '/roles', name: 'roles', component: () => import('./roles/RolesPage.vue') },
  { path: '/roles/:id', name: 'role', component: () => import('./roles/RoleEditor.vue'), props: true },
  { path: '/campaigns', name: 'campaigns', component: () => import('./campaigns/CampaignsPage.vue') },
  { path: '/campaigns/:id', name: 'campaign', component: () => import('./campaigns/CampaignPage.vue'), props: true },
  { path: '/users', name: 'users', component: () => import('./pages/UsersPage.vue') },
  { path: '/integration', name: 'integration', component: () => import('./pages/IntegrationPage.vue') },
  { path: '/reception', name: 'reception', component: () => import('./reception/ReceptionPage.vue') },
  { path: '/campaigns/:id/work', name: 'campaign-work', component: () => import('./campaigns/work/WorkPage.vue'), props: true },
  { path: '/audit', name: 'audit', component: () => import('./pages/AuditPage.vue') },
  { path: '/campaigns/:id/crm', name: 'campaign-crm', component: () => import('./campaigns/crm/CampaignCrmPage.vue'), props: true },
  // After a task's call (e19): the e-mail templates, the «Создать счёт» page.
  { path: '/campaigns/templates', name: 'campaign-templates', component: () => import('./campaigns/after/TemplatesPage.vue') },
  { path: '/campaigns/:id/contacts/:contactId/invoice', name: 'campaign-invoice', component: () => import('./campaigns/after/InvoicePage.vue'), props: true },
  { path: '/:rest(.*)*', redirect: '/' }
]

// `confirmLeave` asks the user (window.confirm in the page; a stub in tests).
export function makeRouter(confirmLeave: () => boolean, history = createWebHashHistory()): Router {
  const router = createRouter({ history, routes })
  router.beforeEach((to, from) => {
    if (from.matched.length === 0 || to.fullPath === from.fullPath) return true
    return anyDirty() ? confirmLeave() : true
  })
  return router
}
