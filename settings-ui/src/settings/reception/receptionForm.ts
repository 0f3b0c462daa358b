// The «Приём обращений» page's model: the stored settings (GET/PUT /api/settings/reception) as a
// form over the portal's departments, and back. A department appears in the body only when it
// serves a type or has a chosen list; `bodyIndex` maps the server's departments[i] errors back
// to the department row.
export interface ServiceType {
  id: string
  name: string
}

export interface DepartmentSetup {
  department_id: string
  service_type_ids: string[]
  all_users: boolean
  manager_ids: string[]
}

export interface ReceptionSettings {
  version: number
  service_types: ServiceType[]
  departments: DepartmentSetup[]
  inquiry_target: 'lead' | 'deal'
  transfer_method: 'blind' | 'hold'
}

export interface PortalDepartment {
  id: string
  name: string
  sort: number
  parent_id: string
  head_user_id: string
}

export interface DepartmentUser {
  id: string
  name: string
  extension: string
}

export function blankSettings(): ReceptionSettings {
  return { version: 0, service_types: [], departments: [], inquiry_target: 'lead', transfer_method: 'blind' }
}

// A fresh service type id: short, unique in the list, of the characters the server takes.
export function newTypeId(existing: ServiceType[], random: () => number = Math.random): string {
  for (;;) {
    const id = 't' + Math.floor(random() * 36 ** 6).toString(36)
    if (!existing.some((t) => t.id === id)) return id
  }
}

// The setup of one department (a blank one when the settings do not name it).
export function setupOf(s: ReceptionSettings, departmentId: string): DepartmentSetup {
  return (
    s.departments.find((d) => d.department_id === departmentId) ?? {
      department_id: departmentId,
      service_type_ids: [],
      all_users: true,
      manager_ids: []
    }
  )
}

// Replaces (or adds) one department's setup, keeping the others' order.
export function withSetup(s: ReceptionSettings, setup: DepartmentSetup): ReceptionSettings {
  const i = s.departments.findIndex((d) => d.department_id === setup.department_id)
  const departments = [...s.departments]
  if (i >= 0) departments[i] = setup
  else departments.push(setup)
  return { ...s, departments }
}

// Removing a type also removes it from every department.
export function withoutType(s: ReceptionSettings, id: string): ReceptionSettings {
  return {
    ...s,
    service_types: s.service_types.filter((t) => t.id !== id),
    departments: s.departments.map((d) => ({ ...d, service_type_ids: d.service_type_ids.filter((x) => x !== id) }))
  }
}

// What PUT sends: departments that serve something or keep a chosen list.
export function toBody(s: ReceptionSettings): ReceptionSettings {
  return {
    ...s,
    service_types: s.service_types.map((t) => ({ id: t.id, name: t.name.trim() })),
    departments: s.departments.filter((d) => d.service_type_ids.length > 0 || !d.all_users)
  }
}

// The department a server error "departments[2]…" is about, from the body that was sent.
export function departmentOfField(body: ReceptionSettings, field: string): string {
  const m = /^departments\[(\d+)\]/.exec(field)
  if (!m) return ''
  return body.departments[Number(m[1])]?.department_id ?? ''
}

// Departments ordered as in the portal's tree: parents before children, by SORT then name.
export function treeOrder(list: PortalDepartment[]): { dep: PortalDepartment; depth: number }[] {
  const byParent = new Map<string, PortalDepartment[]>()
  const ids = new Set(list.map((d) => d.id))
  for (const d of list) {
    const parent = ids.has(d.parent_id) ? d.parent_id : ''
    byParent.set(parent, [...(byParent.get(parent) ?? []), d])
  }
  const out: { dep: PortalDepartment; depth: number }[] = []
  const walk = (parent: string, depth: number) => {
    const children = [...(byParent.get(parent) ?? [])].sort((a, b) => a.sort - b.sort || a.name.localeCompare(b.name))
    for (const c of children) {
      out.push({ dep: c, depth })
      walk(c.id, depth + 1)
    }
  }
  walk('', 0)
  return out
}
