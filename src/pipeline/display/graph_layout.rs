//! Where the pipeline graph's nodes go when the page draws it (Taipy's picture of a
//! scenario): a band of input groups on top, each group's input nodes as chips, and below
//! it the task nodes in columns, each with the data node it writes right under it.
//!
//! A task sits one column right of the deepest task it reads; a task that others read
//! moves right until it sits just before its first reader, so an edge spans as few columns
//! as it can (`project` sits beside `replay`, next to the `render` that reads both). A task
//! nothing reads moves right while the next column holds at least two fewer tasks
//! (`quality` shares `render`'s column), so the grid stays three rows tall.
//! A group sits above the column of the first task that reads it, or just right of the
//! group before it.
//!
//! No edge crosses a node. A task's data node feeds the next column's tasks by a curve
//! from its right side to their left sides; a data node read further right (the dataset
//! is read by seven tasks) leaves into the gap beside its column, runs along a lane of its
//! own under the grid, and rises in the gap before each reader, like a bus. A group feeds
//! the tasks of the first row through their tops, and a task lower in its column from the
//! side, down the gap right of that column.

use crate::pipeline::graph::input_groups::InputGroup;
use crate::pipeline::graph::inputs::InputId;
use crate::pipeline::graph::{TASKS, TaskId};

/// Width of a task node, SVG units.
pub const NODE_WIDTH: f64 = 112.0;
/// Height of a task node.
pub const NODE_HEIGHT: f64 = 46.0;
/// Height of a data node.
pub const DATA_HEIGHT: f64 = 22.0;
/// Inset of a data node from its task's sides.
pub const DATA_INSET: f64 = 10.0;
/// Gap between a task and its data node.
pub const DATA_GAP: f64 = 8.0;
/// Gap between columns.
pub const COLUMN_GAP: f64 = 34.0;
/// Gap between rows.
pub const ROW_GAP: f64 = 14.0;
/// Margin around the drawing.
pub const MARGIN: f64 = 8.0;
/// Height of an input chip.
pub const CHIP_HEIGHT: f64 = 18.0;
/// Gap between chips.
pub const CHIP_GAP: f64 = 4.0;
/// Width of one character of a chip's name (11 px sans-serif, generously).
pub const CHIP_CHAR_WIDTH: f64 = 6.4;
/// Padding inside a group's frame.
pub const GROUP_PAD: f64 = 6.0;
/// Height of a group's heading.
pub const GROUP_TITLE: f64 = 16.0;
/// Widest a group's chips may flow before wrapping: two columns.
pub const GROUP_MAX_WIDTH: f64 = 2.0 * NODE_WIDTH + COLUMN_GAP;
/// Gap between the band of groups and the tasks: room for one lane per group.
pub const BAND_GAP: f64 = 44.0;
/// Distance between neighbouring lanes and between neighbouring vertical runs in a gap.
pub const LANE_STEP: f64 = 6.0;
/// Radius of an orthogonal edge's rounded corners.
pub const CORNER: f64 = 5.0;

/// A node of the drawn graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeRef {
    /// An input chip.
    Input(InputId),
    /// The frame of an input group.
    Group(InputGroup),
    /// A task node.
    Task(TaskId),
    /// The data node a task writes.
    Data(TaskId),
}

/// An axis-aligned box, SVG units.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

impl Rect {
    /// Right edge.
    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }

    /// Whether the two boxes share any area.
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.right() && o.x < self.right() && self.y < o.bottom() && o.y < self.bottom()
    }

    /// Whether `o` lies inside this box.
    pub fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x && o.y >= self.y && o.right() <= self.right() && o.bottom() <= self.bottom()
    }
}

/// The column of each task (see the module's rule).
pub fn columns() -> [usize; TaskId::COUNT] {
    let mut c = [0; TaskId::COUNT];
    for spec in &TASKS {
        c[spec.id.index()] = spec
            .upstream
            .iter()
            .map(|u| c[u.index()] + 1)
            .max()
            .unwrap_or(0);
    }
    for spec in TASKS.iter().rev() {
        let first_reader = TASKS
            .iter()
            .filter(|r| r.upstream.contains(&spec.id))
            .map(|r| c[r.id.index()])
            .min();
        if let Some(r) = first_reader {
            c[spec.id.index()] = r - 1;
        }
    }
    // A task nothing reads (the scores, the indices, the profile) may sit further right
    // without lengthening an edge it writes: it moves while the next column holds at
    // least two fewer tasks, so no column grows taller than the drawing needs.
    let last = c.iter().copied().max().unwrap_or(0);
    for spec in TASKS.iter().rev() {
        if TASKS.iter().any(|r| r.upstream.contains(&spec.id)) {
            continue;
        }
        let count =
            |c: &[usize; TaskId::COUNT], col: usize| c.iter().filter(|&&x| x == col).count();
        while c[spec.id.index()] < last
            && count(&c, c[spec.id.index()] + 1) + 2 <= count(&c, c[spec.id.index()])
        {
            c[spec.id.index()] += 1;
        }
    }
    c
}

/// Width of the chip of `input`.
pub fn chip_width(input: InputId) -> f64 {
    2.0 * GROUP_PAD + CHIP_CHAR_WIDTH * input.name().chars().count() as f64
}

/// Node boxes and the drawing's size.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphLayout {
    /// Each task node, by [`TaskId::index`].
    pub tasks: [Rect; TaskId::COUNT],
    /// Each task's data node, by [`TaskId::index`].
    pub data: [Rect; TaskId::COUNT],
    /// Each group's frame, by [`InputGroup::index`].
    pub groups: [Rect; InputGroup::COUNT],
    /// Each input chip, by [`InputId::index`].
    pub inputs: [Rect; InputId::COUNT],
    /// Width of the drawing.
    pub width: f64,
    /// Height of the drawing.
    pub height: f64,
    /// Each task's column and its row within the column.
    place: [(usize, usize); TaskId::COUNT],
    /// The lowest edge of any group.
    band_bottom: f64,
    /// The lowest edge of any data node.
    grid_bottom: f64,
}

/// An edge: a cubic curve that leaves and enters along its direction, or, when it has
/// corners, straight runs between them with rounded corners.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// The node read.
    pub from: NodeRef,
    /// The node reading it.
    pub to: NodeRef,
    /// Where it leaves `from`.
    pub start: (f64, f64),
    /// Where it enters `to`.
    pub end: (f64, f64),
    /// A curve's direction: top to bottom rather than left to right.
    pub vertical: bool,
    /// The corners of an orthogonal route between `start` and `end`; none for a curve.
    pub corners: Vec<(f64, f64)>,
}

impl Edge {
    /// The SVG path.
    pub fn path(&self) -> String {
        let ((x1, y1), (x2, y2)) = (self.start, self.end);
        if !self.corners.is_empty() {
            return self.orthogonal_path();
        }
        if self.vertical {
            let my = (y1 + y2) / 2.0;
            format!("M {x1} {y1} C {x1} {my}, {x2} {my}, {x2} {y2}")
        } else {
            let mx = (x1 + x2) / 2.0;
            format!("M {x1} {y1} C {mx} {y1}, {mx} {y2}, {x2} {y2}")
        }
    }

    /// Every point the route turns at, `start` and `end` included.
    fn polyline(&self) -> Vec<(f64, f64)> {
        let mut all = vec![self.start];
        all.extend(&self.corners);
        all.push(self.end);
        all
    }

    /// Straight runs, each corner cut by a quarter curve of radius up to [`CORNER`].
    fn orthogonal_path(&self) -> String {
        let pts = self.polyline();
        let mut d = format!("M {} {}", pts[0].0, pts[0].1);
        for w in pts.windows(3) {
            let (a, b, c) = (w[0], w[1], w[2]);
            let (l1, l2) = (dist(a, b), dist(b, c));
            let r = CORNER.min(l1 / 2.0).min(l2 / 2.0);
            let before = towards(b, a, r);
            let after = towards(b, c, r);
            d.push_str(&format!(
                " L {} {} Q {} {}, {} {}",
                before.0, before.1, b.0, b.1, after.0, after.1
            ));
        }
        let end = pts[pts.len() - 1];
        d.push_str(&format!(" L {} {}", end.0, end.1));
        d
    }
}

fn dist(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).hypot(a.1 - b.1)
}

/// The point `r` from `from` towards `to`.
fn towards(from: (f64, f64), to: (f64, f64), r: f64) -> (f64, f64) {
    let l = dist(from, to);
    if l == 0.0 {
        return from;
    }
    (
        from.0 + (to.0 - from.0) * r / l,
        from.1 + (to.1 - from.1) * r / l,
    )
}

impl GraphLayout {
    /// The layout of the engine's graph.
    pub fn new() -> Self {
        let col = columns();
        let column_x = |c: usize| MARGIN + c as f64 * (NODE_WIDTH + COLUMN_GAP);

        let mut inputs = [Rect::default(); InputId::COUNT];
        let mut groups = [Rect::default(); InputGroup::COUNT];
        let mut order = InputGroup::ALL;
        let first_column = |g: InputGroup| g.readers().iter().map(|t| col[t.index()]).min();
        order.sort_by_key(|&g| first_column(g));
        let mut next_x = MARGIN;
        for g in order {
            let x = column_x(first_column(g).unwrap_or(0)).max(next_x);
            let top = MARGIN + GROUP_TITLE;
            let (mut cx, mut cy, mut widest) = (0.0_f64, 0.0_f64, 0.0_f64);
            for &i in g.inputs() {
                let w = chip_width(i);
                if cx > 0.0 && cx + w > GROUP_MAX_WIDTH - 2.0 * GROUP_PAD {
                    cx = 0.0;
                    cy += CHIP_HEIGHT + CHIP_GAP;
                }
                inputs[i.index()] = Rect {
                    x: x + GROUP_PAD + cx,
                    y: top + cy,
                    width: w,
                    height: CHIP_HEIGHT,
                };
                cx += w + CHIP_GAP;
                widest = widest.max(cx - CHIP_GAP);
            }
            let width = (widest + 2.0 * GROUP_PAD).max(NODE_WIDTH);
            groups[g.index()] = Rect {
                x,
                y: MARGIN,
                width,
                height: GROUP_TITLE + cy + CHIP_HEIGHT + GROUP_PAD,
            };
            next_x = x + width + COLUMN_GAP / 2.0;
        }
        let band = groups.iter().map(|g| g.height).fold(0.0, f64::max);

        let top = MARGIN + band + BAND_GAP;
        let cell = NODE_HEIGHT + DATA_GAP + DATA_HEIGHT + ROW_GAP;
        let mut rows = vec![0usize; col.iter().max().map_or(1, |m| m + 1)];
        let mut tasks = [Rect::default(); TaskId::COUNT];
        let mut data = [Rect::default(); TaskId::COUNT];
        for t in TaskId::ALL {
            let c = col[t.index()];
            let y = top + rows[c] as f64 * cell;
            rows[c] += 1;
            tasks[t.index()] = Rect {
                x: column_x(c),
                y,
                width: NODE_WIDTH,
                height: NODE_HEIGHT,
            };
            data[t.index()] = Rect {
                x: column_x(c) + DATA_INSET,
                y: y + NODE_HEIGHT + DATA_GAP,
                width: NODE_WIDTH - 2.0 * DATA_INSET,
                height: DATA_HEIGHT,
            };
        }
        let mut place = [(0, 0); TaskId::COUNT];
        for t in TaskId::ALL {
            let c = col[t.index()];
            place[t.index()] = (c, ((tasks[t.index()].y - top) / cell).round() as usize);
        }
        let max_rows = rows.iter().copied().max().unwrap_or(1);
        let grid_bottom = top + max_rows as f64 * cell - ROW_GAP;
        let lanes = long_readers().iter().filter(|l| !l.is_empty()).count();
        let right = tasks
            .iter()
            .chain(&groups)
            .map(Rect::right)
            .fold(0.0, f64::max);
        Self {
            tasks,
            data,
            groups,
            inputs,
            width: right + MARGIN,
            height: grid_bottom + lanes as f64 * LANE_STEP + LANE_STEP + MARGIN,
            place,
            band_bottom: MARGIN + band,
            grid_bottom,
        }
    }

    /// The box of any node.
    pub fn rect(&self, node: NodeRef) -> Rect {
        match node {
            NodeRef::Input(i) => self.inputs[i.index()],
            NodeRef::Group(g) => self.groups[g.index()],
            NodeRef::Task(t) => self.tasks[t.index()],
            NodeRef::Data(t) => self.data[t.index()],
        }
    }

    /// Every edge: groups into the tasks that read them, tasks into their data nodes, and
    /// data nodes into the tasks that read them, routed as the module describes.
    pub fn edges(&self) -> Vec<Edge> {
        let mut out = Vec::new();
        for g in InputGroup::ALL {
            for t in g.readers() {
                out.push(self.input_edge(g, t));
            }
        }
        let long = long_readers();
        for spec in &TASKS {
            let (task, data) = (self.tasks[spec.id.index()], self.data[spec.id.index()]);
            let x = task.x + task.width / 2.0;
            out.push(Edge {
                from: NodeRef::Task(spec.id),
                to: NodeRef::Data(spec.id),
                start: (x, task.bottom()),
                end: (x, data.y),
                vertical: true,
                corners: Vec::new(),
            });
            // Several reads enter a task's left side spread along it, in graph order.
            let m = spec.upstream.len() as f64;
            for (i, &u) in spec.upstream.iter().enumerate() {
                let from = self.data[u.index()];
                let start = (from.right(), from.y + from.height / 2.0);
                let end = (task.x, task.y + task.height * (i as f64 + 1.0) / (m + 1.0));
                let corners = if long[u.index()].contains(&spec.id) {
                    self.bus_corners(u, spec.id, start, end)
                } else {
                    Vec::new()
                };
                out.push(Edge {
                    from: NodeRef::Data(u),
                    to: NodeRef::Task(spec.id),
                    start,
                    end,
                    vertical: false,
                    corners,
                });
            }
        }
        out
    }

    /// The x of the gap just right of column `c`, `k` lane steps in from its left side.
    fn gap_after(&self, c: usize, k: usize) -> f64 {
        MARGIN + c as f64 * (NODE_WIDTH + COLUMN_GAP) + NODE_WIDTH + LANE_STEP * (1 + k) as f64
    }

    /// The x of the gap just left of column `c`, `k` lane steps in from its right side.
    fn gap_before(&self, c: usize, k: usize) -> f64 {
        MARGIN + c as f64 * (NODE_WIDTH + COLUMN_GAP) - LANE_STEP * (1 + k) as f64
    }

    /// The corners of the bus from `u`'s data node to `t`, a reader beyond the next column:
    /// out into the gap after `u`'s column, down to `u`'s lane, along it, and up the gap
    /// before `t`'s column.
    fn bus_corners(
        &self,
        u: TaskId,
        t: TaskId,
        start: (f64, f64),
        end: (f64, f64),
    ) -> Vec<(f64, f64)> {
        let lane = lane_of(u);
        let y = self.grid_bottom + LANE_STEP * (1 + lane) as f64;
        let out_x = self.gap_after(self.place[u.index()].0, lane);
        let in_x = self.gap_before(self.place[t.index()].0, lane);
        vec![(out_x, start.1), (out_x, y), (in_x, y), (in_x, end.1)]
    }

    /// The edge from group `g` to task `t`: down from the group to the group's lane in the
    /// band's gap, along it, and down into the top of a first-row task, or down the gap
    /// right of a lower task's column into its right side.
    fn input_edge(&self, g: InputGroup, t: TaskId) -> Edge {
        let frame = self.groups[g.index()];
        let task = self.tasks[t.index()];
        let lane_y = self.band_bottom + LANE_STEP * (2 + g.index()) as f64;
        // Several groups entering one task's top enter side by side.
        let readers: Vec<InputGroup> = InputGroup::ALL
            .into_iter()
            .filter(|h| h.readers().contains(&t))
            .collect();
        let slot = readers.iter().position(|&h| h == g).unwrap_or(0) as f64;
        let (col, row) = self.place[t.index()];
        let (aim, end, vertical_end) = if row == 0 {
            let x = task.x
                + task.width / 2.0
                + (slot - (readers.len() - 1) as f64 / 2.0) * 2.0 * LANE_STEP;
            (x, (x, task.y), true)
        } else {
            let x = self.gap_after(col, 0);
            (x, (task.right(), task.y + task.height / 2.0), false)
        };
        let sx = aim.clamp(frame.x + 8.0, frame.right() - 8.0);
        let mut corners = Vec::new();
        if sx != aim {
            corners.extend([(sx, lane_y), (aim, lane_y)]);
        }
        if !vertical_end {
            corners.push((aim, end.1));
        }
        Edge {
            from: NodeRef::Group(g),
            to: NodeRef::Task(t),
            start: (sx, frame.bottom()),
            end,
            vertical: true,
            corners,
        }
    }
}

/// For each task, the readers of its data node that sit beyond the next column: those
/// edges take the bus.
fn long_readers() -> [Vec<TaskId>; TaskId::COUNT] {
    let col = columns();
    let mut out: [Vec<TaskId>; TaskId::COUNT] = Default::default();
    for spec in &TASKS {
        for &u in spec.upstream {
            if col[spec.id.index()] > col[u.index()] + 1 {
                out[u.index()].push(spec.id);
            }
        }
    }
    out
}

/// The lane of `u`'s bus: one per data node with long readers, in graph order.
fn lane_of(u: TaskId) -> usize {
    let long = long_readers();
    TaskId::ALL
        .into_iter()
        .take_while(|&t| t != u)
        .filter(|t| !long[t.index()].is_empty())
        .count()
}

impl Default for GraphLayout {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_node() -> Vec<NodeRef> {
        let mut all: Vec<NodeRef> = InputId::ALL.into_iter().map(NodeRef::Input).collect();
        all.extend(InputGroup::ALL.into_iter().map(NodeRef::Group));
        all.extend(TaskId::ALL.into_iter().map(NodeRef::Task));
        all.extend(TaskId::ALL.into_iter().map(NodeRef::Data));
        all
    }

    #[test]
    fn nodes_never_overlap_and_chips_sit_in_their_group() {
        let g = GraphLayout::new();
        let page = Rect {
            x: MARGIN,
            y: MARGIN,
            width: g.width - 2.0 * MARGIN,
            height: g.height - 2.0 * MARGIN,
        };
        let nodes = every_node();
        for &a in &nodes {
            assert!(page.contains(&g.rect(a)), "{a:?} leaves the drawing");
            for &b in nodes.iter().filter(|&&b| b != a) {
                if let (NodeRef::Input(i), NodeRef::Group(h)) = (a, b)
                    && InputGroup::of(i) == h
                {
                    assert!(g.rect(b).contains(&g.rect(a)), "{i:?} leaves its group");
                    continue;
                }
                let nested = matches!((a, b), (NodeRef::Group(h), NodeRef::Input(i)) if InputGroup::of(i) == h);
                assert!(
                    nested || !g.rect(a).overlaps(&g.rect(b)),
                    "{a:?} and {b:?} overlap"
                );
            }
        }
    }

    /// Points along the drawn edge: the cubic itself, or the straight runs between corners
    /// (a rounded corner stays inside the corner it rounds).
    fn along(e: &Edge) -> Vec<(f64, f64)> {
        if e.corners.is_empty() {
            let ((x1, y1), (x2, y2)) = (e.start, e.end);
            let (c1, c2) = if e.vertical {
                let my = (y1 + y2) / 2.0;
                ((x1, my), (x2, my))
            } else {
                let mx = (x1 + x2) / 2.0;
                ((mx, y1), (mx, y2))
            };
            let cubic = |t: f64, a: f64, b: f64, c: f64, d: f64| {
                let u = 1.0 - t;
                u * u * u * a + 3.0 * u * u * t * b + 3.0 * u * t * t * c + t * t * t * d
            };
            return (0..=200)
                .map(|i| {
                    let t = f64::from(i) / 200.0;
                    (cubic(t, x1, c1.0, c2.0, x2), cubic(t, y1, c1.1, c2.1, y2))
                })
                .collect();
        }
        e.polyline()
            .windows(2)
            .flat_map(|w| {
                (0..=50).map(move |i| {
                    let t = f64::from(i) / 50.0;
                    (
                        w[0].0 + (w[1].0 - w[0].0) * t,
                        w[0].1 + (w[1].1 - w[0].1) * t,
                    )
                })
            })
            .collect()
    }

    #[test]
    fn no_edge_passes_through_a_node() {
        let g = GraphLayout::new();
        for e in g.edges() {
            for &n in every_node().iter().filter(|&&n| n != e.from && n != e.to) {
                let r = g.rect(n);
                let inside = |&(x, y): &(f64, f64)| {
                    x > r.x + 0.5 && x < r.right() - 0.5 && y > r.y + 0.5 && y < r.bottom() - 0.5
                };
                let hit = along(&e).into_iter().find(inside);
                assert!(
                    hit.is_none(),
                    "{:?} → {:?} crosses {n:?} at {hit:?}",
                    e.from,
                    e.to
                );
            }
        }
    }

    #[test]
    fn routes_of_different_sources_never_run_on_top_of_each_other() {
        let g = GraphLayout::new();
        // Every straight run: its source, whether it is vertical, its fixed coordinate and
        // its span.
        let mut runs = Vec::new();
        for e in g.edges().iter().filter(|e| !e.corners.is_empty()) {
            for w in e.polyline().windows(2) {
                let ((x0, y0), (x1, y1)) = (w[0], w[1]);
                if x0 == x1 {
                    runs.push((e.from, true, x0, y0.min(y1), y0.max(y1)));
                } else if y0 == y1 {
                    runs.push((e.from, false, y0, x0.min(x1), x0.max(x1)));
                } else {
                    panic!("{:?} → {:?} has a slanted run", e.from, e.to);
                }
            }
        }
        for a in &runs {
            for b in runs.iter().filter(|b| b.0 != a.0 && b.1 == a.1) {
                let apart = (a.2 - b.2).abs() >= 1.0 || a.4 <= b.3 || b.4 <= a.3;
                assert!(apart, "{a:?} and {b:?} share a run");
            }
        }
        // Long reads take the bus, short ones a curve.
        let edges = g.edges();
        let find = |u: TaskId, t: TaskId| {
            edges
                .iter()
                .find(|e| e.from == NodeRef::Data(u) && e.to == NodeRef::Task(t))
                .unwrap()
        };
        assert!(!find(TaskId::Generate, TaskId::Render).corners.is_empty());
        assert!(find(TaskId::Generate, TaskId::Sample).corners.is_empty());
        assert!(find(TaskId::Fit, TaskId::Predict).corners.is_empty());
    }

    #[test]
    fn edges_are_the_engines_reads_and_run_forward() {
        let g = GraphLayout::new();
        let edges = g.edges();
        for spec in &TASKS {
            let t = spec.id;
            for &u in spec.upstream {
                let e = edges
                    .iter()
                    .find(|e| e.from == NodeRef::Data(u) && e.to == NodeRef::Task(t))
                    .unwrap_or_else(|| panic!("{u:?} → {t:?} is not drawn"));
                assert!(
                    e.end.0 - e.start.0 >= COLUMN_GAP,
                    "{u:?} → {t:?} runs backwards"
                );
            }
            for i in spec.inputs {
                let from = NodeRef::Group(InputGroup::of(*i));
                assert!(
                    edges
                        .iter()
                        .any(|e| e.from == from && e.to == NodeRef::Task(t))
                );
            }
            assert!(
                edges
                    .iter()
                    .any(|e| e.from == NodeRef::Task(t) && e.to == NodeRef::Data(t))
            );
        }
        let reads: usize = TASKS.iter().map(|s| s.upstream.len() + 1).sum::<usize>()
            + InputGroup::ALL
                .iter()
                .map(|g| g.readers().len())
                .sum::<usize>();
        assert_eq!(edges.len(), reads, "an edge no read explains");
        for e in edges.iter().filter(|e| e.vertical) {
            assert!(e.end.1 > e.start.1, "{e:?} runs upwards");
            assert!(
                e.path()
                    .starts_with(&format!("M {} {}", e.start.0, e.start.1))
            );
        }
    }

    #[test]
    fn columns_keep_edges_short() {
        let c = columns();
        use TaskId::*;
        assert_eq!(c[Generate.index()], 0);
        assert_eq!(c[Sample.index()], 1);
        assert_eq!(c[Profile.index()], 1);
        assert_eq!(c[Fit.index()], 3);
        // project has one reader, render, so it sits just before it, beside replay.
        assert_eq!(c[Project.index()], c[Render.index()] - 1);
        assert_eq!(c[Replay.index()], c[Render.index()] - 1);
        for spec in &TASKS {
            for u in spec.upstream {
                assert!(c[u.index()] < c[spec.id.index()]);
            }
        }
        // Small enough to read in a page column: at most 1 200 units wide.
        let g = GraphLayout::new();
        assert!(
            g.width <= 1_200.0 && g.height <= 460.0,
            "{} × {}",
            g.width,
            g.height
        );
    }
}
