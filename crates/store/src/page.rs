//! A page of a longer list, read by the database (`LIMIT` and `OFFSET`) rather than cut from the
//! whole list in memory, with how many the whole list holds so that callers can number pages.

/// `items`, at most the page's size, from some offset of a list of `total`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The records on this page, in the list's order.
    pub items: Vec<T>,
    /// How many records the whole list holds.
    pub total: u64,
}
