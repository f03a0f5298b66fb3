//! The vertex-program model: what a user writes to describe one superstep of an algorithm. The
//! engine (crate `dgraph`) compiles a program into per-partition tasks and runs them; a program
//! never sees partitions, threads or machines.
//!
//! A superstep, for every partition at once:
//! 1. **scatter**: every active vertex sends [`VertexProgram::message`] along its edges
//!    ([`Direction`]); messages to one vertex are merged with [`VertexProgram::combine`]
//!    (commutative and associative), first inside a partition, then across partitions;
//! 2. **apply**: each vertex's master gets the combined message (or `None`) and returns its new
//!    value and whether it is active in the next superstep;
//! 3. **aggregate**: a global sum over vertices ([`VertexProgram::aggregate`]) is available to
//!    the next superstep (PageRank's dangling mass), and the run stops when no vertex is active,
//!    after [`VertexProgram::max_supersteps`], or when the summed change falls below
//!    [`VertexProgram::tolerance`].

/// Along which edges messages flow from a vertex to its neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `u -> v` carries u's message to v.
    Out,
    /// `u -> v` carries v's message to u.
    In,
    /// Both (undirected propagation on a directed graph).
    Both,
}

/// What a program may ask about the graph and the current superstep.
pub trait Context {
    /// Number of vertices.
    fn vertex_count(&self) -> usize;
    /// Out-degree of a vertex.
    fn out_degree(&self, v: u32) -> usize;
    /// The superstep number, from 0.
    fn superstep(&self) -> u32;
    /// The global aggregate computed from the values before this superstep.
    fn aggregate(&self) -> f64;
}

/// A vertex program.
pub trait VertexProgram: Sync {
    /// Per-vertex state.
    type Value: Clone + Send + Sync + PartialEq + std::fmt::Debug;
    /// What travels along an edge.
    type Message: Clone + Send + Sync;

    /// Along which edges messages flow.
    fn direction(&self) -> Direction;

    /// The value of `v` before the first superstep.
    fn init(&self, v: u32, ctx: &dyn Context) -> Self::Value;

    /// Whether `v` sends messages in the first superstep.
    fn initially_active(&self, v: u32) -> bool;

    /// The message a vertex with `value` sends along one edge (`weight` is 1 on unweighted
    /// graphs); `None` sends nothing.
    fn message(&self, source: u32, value: &Self::Value, weight: f64, ctx: &dyn Context) -> Option<Self::Message>;

    /// Merges two messages to the same vertex; must be commutative and associative.
    fn combine(&self, a: Self::Message, b: Self::Message) -> Self::Message;

    /// Combines the messages of one vertex's whole row, `first` and then `rest` in row order:
    /// the default folds them with [`VertexProgram::combine`]. A program whose messages own
    /// memory may gather the row into one buffer instead (CDLP's label lists: one allocation
    /// per vertex rather than a growing list and a call per edge). The engine combines a row
    /// either way, so the result must be what the fold gives.
    fn combine_row<'m>(
        &self,
        first: &'m Self::Message,
        rest: impl ExactSizeIterator<Item = &'m Self::Message>,
    ) -> Self::Message
    where
        Self::Message: 'm,
    {
        rest.fold(first.clone(), |a, m| self.combine(a, m.clone()))
    }

    /// A message `e` with `combine(e, m) == m` for every message `m`, bit for bit, if there is
    /// one: for a floating-point sum, `-0.0` (`-0.0 + m` is `m` for every `m`, where `0.0 +
    /// -0.0` is `+0.0`). With it the engine's all-active pull may combine a vertex's messages
    /// into an accumulator that starts there, in row order, and reads the messages a cache's
    /// worth at a time (`src/engine/tiles.rs`); the result is the row's fold.
    fn combine_identity(&self) -> Option<Self::Message> {
        None
    }

    /// The new value of `v` and whether it is active next superstep.
    fn apply(
        &self,
        v: u32,
        value: &Self::Value,
        message: Option<Self::Message>,
        ctx: &dyn Context,
    ) -> (Self::Value, bool);

    /// Every vertex is active in every superstep (the engine then pulls without a frontier).
    fn all_active(&self) -> bool {
        false
    }

    /// A per-vertex contribution to the global sum available in the next superstep.
    fn aggregate(&self, _v: u32, _value: &Self::Value, _ctx: &dyn Context) -> f64 {
        0.0
    }

    /// Whether the program uses [`VertexProgram::aggregate`] (the engine skips it otherwise).
    fn uses_aggregate(&self) -> bool {
        false
    }

    /// Stop after this many supersteps.
    fn max_supersteps(&self) -> u32 {
        u32::MAX
    }

    /// Stop when the sum of [`VertexProgram::change`] over all vertices falls below this.
    fn tolerance(&self) -> Option<f64> {
        None
    }

    /// How much a vertex changed (for [`VertexProgram::tolerance`]).
    fn change(&self, _old: &Self::Value, _new: &Self::Value) -> f64 {
        0.0
    }

    /// Whether [`VertexProgram::message`] depends on the edge weight. When it does not, the
    /// engine computes each active vertex's message once per superstep instead of once per
    /// edge (PageRank's `rank / out-degree`).
    fn message_uses_weight(&self) -> bool {
        true
    }

    /// Whether a vertex can use messages at all (BFS: only unvisited vertices); messages to a
    /// vertex that cannot are dropped (a pull does not gather them, a push does not send
    /// them), so `apply` must leave it unchanged and inactive when given one.
    fn wants_messages(&self, _v: u32, _value: &Self::Value) -> bool {
        true
    }

    /// When pulling, whether one message is enough (BFS: any parent gives the same depth), so
    /// a vertex stops reading its in-edges at the first.
    fn first_message_suffices(&self) -> bool {
        false
    }

    /// The message every active vertex sends in this superstep, when it is one and the same
    /// and reads no sender's value (BFS: the superstep + 1); `None` (the default) when it
    /// depends on the sender. With it, and [`VertexProgram::first_message_suffices`], a pull
    /// reads nothing of its sources but whether they are active, so it may update the values
    /// in place (no second buffer to fill), as GAP's bottom-up BFS does. It must be what
    /// [`VertexProgram::message`] gives every active vertex.
    fn uniform_message(&self, _ctx: &dyn Context) -> Option<Self::Message> {
        None
    }

    /// Whether [`VertexProgram::message`] and [`VertexProgram::aggregate`] ignore
    /// `ctx.superstep()` and `ctx.aggregate()` (reading the vertex, its value, `vertex_count`
    /// and `out_degree` only). Then an all-active program's next messages and aggregate are
    /// computed in the same pass that applies the new values (PageRank's `rank / out-degree`
    /// and sink mass), instead of two more passes over the vertices. Results are the same.
    fn message_ignores_step(&self) -> bool {
        false
    }
}
