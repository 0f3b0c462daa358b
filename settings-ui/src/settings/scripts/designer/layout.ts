// The auto-layout engine of the designer (graphModel.autoLayout): dagre, top to bottom. Loaded
// on demand, the first time «Выстроить» is pressed.
import dagre from '@dagrejs/dagre'
import type { LayoutEngine } from './graphModel'

export const dagreEngine: LayoutEngine = (nodes, links) => {
  const g = new dagre.graphlib.Graph()
  g.setGraph({ rankdir: 'TB', nodesep: 48, ranksep: 80, marginx: 0, marginy: 0 })
  g.setDefaultEdgeLabel(() => ({}))
  for (const n of nodes) g.setNode(n.id, { width: n.width, height: n.height })
  for (const l of links) g.setEdge(l.from, l.to)
  dagre.layout(g)
  const out = new Map<string, { x: number; y: number }>()
  for (const n of nodes) {
    const p = g.node(n.id)
    // dagre gives centres; the canvas places nodes by their top-left corner.
    out.set(n.id, { x: p.x - n.width / 2, y: p.y - n.height / 2 })
  }
  return out
}
