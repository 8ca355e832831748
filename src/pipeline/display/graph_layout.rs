//! Where the pipeline graph's nodes go when the page draws it: one column per depth (a
//! task sits one column right of the deepest task it reads), rows in graph order within a
//! column, and each edge from the right middle of its source to the left middle of its
//! target.

use crate::pipeline::graph::{TASKS, TaskId};

/// Width of a node box, SVG units.
pub const NODE_WIDTH: f64 = 112.0;
/// Height of a node box.
pub const NODE_HEIGHT: f64 = 46.0;
/// Gap between columns.
pub const COLUMN_GAP: f64 = 34.0;
/// Gap between rows.
pub const ROW_GAP: f64 = 14.0;
/// Margin around the drawing.
pub const MARGIN: f64 = 8.0;

/// The column of each task: one more than its deepest upstream task.
pub fn depths() -> [usize; TaskId::COUNT] {
    let mut d = [0; TaskId::COUNT];
    for spec in &TASKS {
        d[spec.id.index()] = spec
            .upstream
            .iter()
            .map(|u| d[u.index()] + 1)
            .max()
            .unwrap_or(0);
    }
    d
}

/// Node positions and the drawing's size.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphLayout {
    /// Top-left corner of each node, by [`TaskId::index`].
    pub positions: [(f64, f64); TaskId::COUNT],
    /// Width of the drawing.
    pub width: f64,
    /// Height of the drawing.
    pub height: f64,
}

impl GraphLayout {
    /// The layout of the engine's graph.
    pub fn new() -> Self {
        let d = depths();
        let mut rows = [0usize; TaskId::COUNT];
        let mut positions = [(0.0, 0.0); TaskId::COUNT];
        for t in TaskId::ALL {
            let col = d[t.index()];
            let row = rows[col];
            rows[col] += 1;
            positions[t.index()] = (
                MARGIN + col as f64 * (NODE_WIDTH + COLUMN_GAP),
                MARGIN + row as f64 * (NODE_HEIGHT + ROW_GAP),
            );
        }
        let cols = d.iter().max().map_or(1, |m| m + 1);
        let max_rows = rows.iter().copied().max().unwrap_or(1);
        Self {
            positions,
            width: 2.0 * MARGIN + cols as f64 * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP,
            height: 2.0 * MARGIN + max_rows as f64 * (NODE_HEIGHT + ROW_GAP) - ROW_GAP,
        }
    }

    /// Top-left corner of `task`'s node.
    pub fn position(&self, task: TaskId) -> (f64, f64) {
        self.positions[task.index()]
    }

    /// The edge `from → to`, from the right middle of `from` to the left middle of `to`.
    pub fn edge(&self, from: TaskId, to: TaskId) -> Edge {
        let (fx, fy) = self.position(from);
        let (tx, ty) = self.position(to);
        Edge {
            start: (fx + NODE_WIDTH, fy + NODE_HEIGHT / 2.0),
            end: (tx, ty + NODE_HEIGHT / 2.0),
        }
    }
}

/// An edge drawn as an S-shaped cubic curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    /// Where it leaves its source.
    pub start: (f64, f64),
    /// Where it enters its target.
    pub end: (f64, f64),
}

impl Edge {
    /// The x of both control points: halfway, so the curve leaves and enters horizontally.
    pub fn bend_x(&self) -> f64 {
        (self.start.0 + self.end.0) / 2.0
    }
}

impl Default for GraphLayout {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_edge_runs_left_to_right_and_nodes_never_overlap() {
        let g = GraphLayout::new();
        for spec in &TASKS {
            for &u in spec.upstream {
                let e = g.edge(u, spec.id);
                assert!(e.end.0 - e.start.0 >= COLUMN_GAP, "{u:?} → {:?}", spec.id);
                assert!(e.start.0 < e.bend_x() && e.bend_x() < e.end.0);
            }
        }
        for a in TaskId::ALL {
            for b in TaskId::ALL.into_iter().filter(|&b| b != a) {
                let ((ax, ay), (bx, by)) = (g.position(a), g.position(b));
                let apart = (ax - bx).abs() >= NODE_WIDTH || (ay - by).abs() >= NODE_HEIGHT;
                assert!(apart, "{a:?} and {b:?} overlap");
            }
            let (x, y) = g.position(a);
            assert!(x + NODE_WIDTH + MARGIN <= g.width && y + NODE_HEIGHT + MARGIN <= g.height);
        }
    }

    #[test]
    fn columns_follow_the_deepest_upstream_task() {
        let d = depths();
        assert_eq!(d[TaskId::Generate.index()], 0);
        assert_eq!(d[TaskId::Sample.index()], 1);
        assert_eq!(d[TaskId::Fit.index()], 3);
        assert_eq!(d[TaskId::Replay.index()], 5);
        assert_eq!(d[TaskId::Render.index()], 6);
        // The widest column fixes the height: generate's three readers share column 1.
        let g = GraphLayout::new();
        assert_eq!(g.width, 16.0 + 7.0 * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP);
        assert_eq!(g.height, 16.0 + 3.0 * (NODE_HEIGHT + ROW_GAP) - ROW_GAP);
    }
}
