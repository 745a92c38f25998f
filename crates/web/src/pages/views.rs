//! The shared shapes of list and record pages: a table of cells, a summary list and tabs.

use super::{Layout, Pagination};
use askama::Template;

/// One table cell: text, and a link when the cell names a record.
pub struct Cell {
    /// What it says.
    pub text: String,
    /// Where it links to.
    pub href: Option<String>,
}

impl Cell {
    /// Plain text.
    pub fn text(text: impl ToString) -> Cell {
        Cell {
            text: text.to_string(),
            href: None,
        }
    }

    /// A link.
    pub fn link(text: impl ToString, href: impl ToString) -> Cell {
        Cell {
            text: text.to_string(),
            href: Some(href.to_string()),
        }
    }
}

/// A GOV.UK table.
pub struct Table {
    /// Its caption.
    pub caption: String,
    /// Column headings.
    pub headings: Vec<&'static str>,
    /// Rows of cells; the first cell heads its row.
    pub rows: Vec<Vec<Cell>>,
}

/// A tab of a record page.
pub struct Tab {
    /// The panel's id, for the tab's link.
    pub id: &'static str,
    /// The tab's title.
    pub title: &'static str,
    /// What the panel holds.
    pub table: Table,
    /// What the panel says when the table has no rows.
    pub empty: &'static str,
}

/// A paginated list of records.
#[derive(Template)]
#[template(path = "list.html")]
pub struct ListPage {
    /// The layout.
    pub layout: Layout,
    /// The page heading.
    pub heading: String,
    /// A sentence under the heading.
    pub intro: Option<String>,
    /// The records on this page.
    pub table: Table,
    /// What to say when there are none.
    pub empty: &'static str,
    /// Links to the other pages.
    pub pagination: Pagination,
}

impl ListPage {
    /// Renders the list, or the not-found page for a page number past the last page.
    pub async fn respond(
        self,
        state: &crate::AppState,
        signed: &crate::auth::Signed,
    ) -> axum::response::Response {
        if self.pagination.is_past_the_end() {
            return super::error::not_found(state, Some(signed)).await;
        }
        super::render(&self, axum::http::StatusCode::OK)
    }
}

/// One record: a summary list, then tabs.
#[derive(Template)]
#[template(path = "record.html")]
pub struct RecordPage {
    /// The layout.
    pub layout: Layout,
    /// Above the heading: the kind of record.
    pub caption: &'static str,
    /// The record's name.
    pub heading: String,
    /// Key facts.
    pub summary: Vec<(&'static str, String)>,
    /// Links to things to do with the record (text, address), under its summary.
    pub actions: Vec<(String, String)>,
    /// Related records.
    pub tabs: Vec<Tab>,
}
