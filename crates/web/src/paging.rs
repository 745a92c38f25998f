//! Paging a list, shared by the pages (GOV.UK's pagination block) and the API (`page`,
//! `per_page`): which items a page holds is decided here once.

/// A page number link in a pagination block.
pub struct PageLink {
    /// Its number.
    pub number: u64,
    /// Where it goes.
    pub href: String,
    /// The page being shown.
    pub current: bool,
    /// A gap (`…`) rather than a link.
    pub ellipsis: bool,
}

/// The GOV.UK pagination block for a list.
pub struct Pagination {
    /// The page shown, from 1.
    pub current: u64,
    /// How many pages in all.
    pub pages: u64,
    /// The previous page's address.
    pub previous: Option<String>,
    /// The next page's address.
    pub next: Option<String>,
    /// Page links, with gaps.
    pub links: Vec<PageLink>,
}

impl Pagination {
    /// Pagination for page `page` of `total` items, `per_page` a page; `href` makes a page's address.
    pub fn new(page: u64, per_page: u64, total: u64, href: impl Fn(u64) -> String) -> Pagination {
        let pages = total.div_ceil(per_page).max(1);
        let mut links = Vec::new();
        let mut last_shown = 0;
        for number in 1..=pages {
            let shown = number == 1 || number == pages || number.abs_diff(page) <= 1;
            if !shown {
                continue;
            }
            if number > last_shown + 1 {
                links.push(PageLink {
                    number: 0,
                    href: String::new(),
                    current: false,
                    ellipsis: true,
                });
            }
            links.push(PageLink {
                number,
                href: href(number),
                current: number == page,
                ellipsis: false,
            });
            last_shown = number;
        }
        Pagination {
            current: page,
            pages,
            previous: (page > 1).then(|| href(page - 1)),
            next: (page < pages).then(|| href(page + 1)),
            links,
        }
    }
}

impl Pagination {
    /// Whether the page asked for is past the last one.
    pub fn is_past_the_end(&self) -> bool {
        self.current > self.pages
    }

    /// What page titles add on lists of more than one page: " (page 2 of 39)".
    pub fn title_suffix(&self) -> String {
        if self.pages > 1 {
            format!(" (page {} of {})", self.current, self.pages)
        } else {
            String::new()
        }
    }
}

/// The page number asked for in a query, from 1; anything unusable is page 1.
pub fn page_number(requested: Option<&str>) -> u64 {
    requested
        .and_then(|text| text.parse::<u64>().ok())
        .filter(|page| *page >= 1)
        .unwrap_or(1)
}

/// Rows a page of a list shows.
pub const PER_PAGE: u64 = 50;

/// The items of `page` of `items`.
pub fn page_of<T>(items: Vec<T>, page: u64, per_page: u64) -> Vec<T> {
    let start = usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
    items
        .into_iter()
        .skip(start)
        .take(usize::try_from(per_page).unwrap_or(usize::MAX))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_shows_ends_neighbours_and_gaps() {
        let pagination = Pagination::new(5, 10, 95, |page| format!("?page={page}"));
        let shown: Vec<String> = pagination
            .links
            .iter()
            .map(|link| {
                if link.ellipsis {
                    "…".into()
                } else {
                    link.number.to_string()
                }
            })
            .collect();
        assert_eq!(shown, ["1", "…", "4", "5", "6", "…", "10"]);
        assert_eq!(pagination.previous.as_deref(), Some("?page=4"));
        assert_eq!(Pagination::new(1, 50, 10, |page| page.to_string()).pages, 1);
    }
}
