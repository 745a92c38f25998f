//! Invoicing: each provider's invoice for a four-weekly period, drafted from the period's
//! visits and what call monitoring holds of them, issued once the period is over, and
//! reconciled.
//!
//! The rules are the domain's (`homeward_domain::invoice`); this module gathers what they need
//! through the store: the visits of the period with their check-ins and check-outs (through
//! [`crate::monitor`], and nothing else, so manual corrections applied there reach invoices),
//! the contracts, the people and their areas, the packages (an individual service fund's weekly
//! budget, and the rate agreed for a package placed on a quote) and the early-start incentives. An issued invoice is read back as issued: its lines
//! never change, whatever happens to the visits afterwards.

use std::collections::{BTreeMap, HashMap};

use homeward_domain::invoice::draft::{
    DraftInputs, EarnedIncentive, PersonTerms, VisitTimes, draft_invoice,
};
use homeward_domain::invoice::reconcile::{Reconciliation, reconcile};
use homeward_domain::{
    CarePackage, Contract, FieldError, FundingRoute, Invoice, InvoiceId, InvoicePeriod,
    MonitoringRules, PackageId, Pence, PersonId, ProviderId, london,
};
use homeward_store::{IssuedInvoice, Store, StoreError, VisitFilter};
use jiff::Timestamp;
use jiff::civil::Date;

use crate::{Ids, MonitoredVisit, monitor};

/// Every provider's name, by id: invoices, reconciliation and the finance export name each
/// provider beside its figures.
pub async fn provider_names(store: &dyn Store) -> Result<HashMap<ProviderId, String>, StoreError> {
    Ok(store
        .providers()
        .await?
        .into_iter()
        .map(|provider| (provider.id, provider.name))
        .collect())
}

/// Whether an invoice is a draft or has been issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvoiceStatus {
    /// Worked out from what is stored now; it changes as visits are checked out.
    Draft,
    /// Issued by the provider: these lines are the invoice.
    Issued {
        /// Its id.
        id: InvoiceId,
        /// When.
        issued_at: Timestamp,
        /// By whom (an account id).
        issued_by: String,
    },
}

impl InvoiceStatus {
    /// `draft` or `issued`, as files and the API name it.
    pub fn code(&self) -> &'static str {
        match self {
            InvoiceStatus::Draft => "draft",
            InvoiceStatus::Issued { .. } => "issued",
        }
    }
}

/// A provider's invoice for a period, draft or issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderInvoice {
    /// The provider, the period and the lines.
    pub invoice: Invoice,
    /// Draft or issued.
    pub status: InvoiceStatus,
}

impl ProviderInvoice {
    /// Planned, delivered and invoiced, read from the lines: the one reckoning the pages, the
    /// API and the finance export share.
    pub fn reconciliation(&self) -> Reconciliation {
        reconcile(&self.invoice.lines)
    }

    /// The issued invoice's id; none for a draft.
    pub fn invoice_id(&self) -> Option<&InvoiceId> {
        match &self.status {
            InvoiceStatus::Draft => None,
            InvoiceStatus::Issued { id, .. } => Some(id),
        }
    }

    /// Whether it has been issued.
    pub fn is_issued(&self) -> bool {
        matches!(self.status, InvoiceStatus::Issued { .. })
    }
}

impl From<IssuedInvoice> for ProviderInvoice {
    fn from(issued: IssuedInvoice) -> Self {
        ProviderInvoice {
            invoice: issued.invoice,
            status: InvoiceStatus::Issued {
                id: issued.id,
                issued_at: issued.issued_at,
                issued_by: issued.issued_by,
            },
        }
    }
}

/// Why an invoice could not be issued.
#[derive(Debug, thiserror::Error)]
pub enum InvoicingError {
    /// A request value is wrong (the period has not ended).
    #[error("{0}")]
    Invalid(FieldError),
    /// The provider has an invoice for the period already.
    #[error("an invoice for this provider and period has been issued already")]
    AlreadyIssued,
    /// The provider is not in the register.
    #[error("provider {0} does not exist")]
    UnknownProvider(ProviderId),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The London date of `now`.
pub fn today(now: Timestamp) -> Date {
    now.to_zoned(london().clone()).date()
}

/// The latest period that has ended by `now`: the one an invoice can be issued for.
pub fn last_ended_period(now: Timestamp) -> InvoicePeriod {
    InvoicePeriod::containing(today(now)).previous()
}

/// Every provider's invoice for `period` (or only `provider`'s), issued ones as issued and
/// drafts otherwise, by provider id. A provider with nothing to invoice (no visit, guarantee or
/// incentive in the period) is left out.
pub async fn invoices(
    store: &dyn Store,
    period: InvoicePeriod,
    provider: Option<&ProviderId>,
    now: Timestamp,
) -> Result<Vec<ProviderInvoice>, StoreError> {
    let mut issued: BTreeMap<ProviderId, IssuedInvoice> = store
        .issued_invoices(&period)
        .await?
        .into_iter()
        .filter(|issued| provider.is_none_or(|only| &issued.invoice.provider_id == only))
        .map(|issued| (issued.invoice.provider_id.clone(), issued))
        .collect();
    let providers: Vec<ProviderId> = store
        .providers()
        .await?
        .into_iter()
        .map(|provider| provider.id)
        .filter(|id| provider.is_none_or(|only| id == only))
        .collect();
    let drafting: Vec<ProviderId> = providers
        .iter()
        .filter(|id| !issued.contains_key(*id))
        .cloned()
        .collect();
    let mut drafts = if drafting.is_empty() {
        BTreeMap::new()
    } else {
        Drafting::gather(store, period, provider, now)
            .await?
            .drafts(&drafting)
    };
    Ok(providers
        .iter()
        .filter_map(|id| {
            if let Some(issued) = issued.remove(id) {
                return Some(ProviderInvoice::from(issued));
            }
            drafts
                .remove(id)
                .filter(|invoice| !invoice.lines.is_empty())
                .map(|invoice| ProviderInvoice {
                    invoice,
                    status: InvoiceStatus::Draft,
                })
        })
        .collect())
}

/// `provider`'s invoice for `period`: as issued, or a draft (which may have no lines). `None`
/// when the provider is not in the register.
pub async fn invoice(
    store: &dyn Store,
    provider: &ProviderId,
    period: InvoicePeriod,
    now: Timestamp,
) -> Result<Option<ProviderInvoice>, StoreError> {
    if let Some(issued) = store.issued_invoice(provider, &period).await? {
        return Ok(Some(ProviderInvoice::from(issued)));
    }
    if !store
        .providers()
        .await?
        .iter()
        .any(|stored| &stored.id == provider)
    {
        return Ok(None);
    }
    let mut drafts = Drafting::gather(store, period, Some(provider), now)
        .await?
        .drafts(std::slice::from_ref(provider));
    Ok(drafts.remove(provider).map(|invoice| ProviderInvoice {
        invoice,
        status: InvoiceStatus::Draft,
    }))
}

/// Issues `provider`'s invoice for `period` as drafted at `now`, in one audited transaction.
/// A period that has not ended by `now` is refused (on `period`), as is one with nothing to
/// invoice, and a second invoice for the same provider and period.
pub async fn issue(
    store: &dyn Store,
    ids: &Ids,
    provider: &ProviderId,
    period: InvoicePeriod,
    now: Timestamp,
    actor: &str,
) -> Result<IssuedInvoice, InvoicingError> {
    if !period.has_ended_by(today(now)) {
        return Err(InvoicingError::Invalid(FieldError::new(
            "period",
            format!(
                "The period runs to {}: its invoice can be issued from {}",
                period.ends_on(),
                period.next().starts_on()
            ),
        )));
    }
    let Some(current) = invoice(store, provider, period, now).await? else {
        return Err(InvoicingError::UnknownProvider(provider.clone()));
    };
    if current.is_issued() {
        return Err(InvoicingError::AlreadyIssued);
    }
    if current.invoice.lines.is_empty() {
        return Err(InvoicingError::Invalid(FieldError::new(
            "period",
            "There is nothing to invoice for this period: no visits, guarantees or incentives",
        )));
    }
    let issued = IssuedInvoice {
        id: InvoiceId::from_suffix(&ids.suffix()).expect("generated suffixes are valid"),
        invoice: current.invoice,
        issued_at: now,
        issued_by: actor.to_owned(),
    };
    match store.issue_invoice(&issued, actor).await {
        Ok(()) => Ok(issued),
        // Another issue got there first (the store decides under its writer lock).
        Err(StoreError::Duplicate { .. }) => Err(InvoicingError::AlreadyIssued),
        Err(error) => Err(InvoicingError::Store(error)),
    }
}

/// What drafting a period's invoices needs, read once for every provider drafted.
struct Drafting {
    period: InvoicePeriod,
    visits: HashMap<ProviderId, Vec<MonitoredVisit>>,
    contracts: Vec<Contract>,
    people: HashMap<PersonId, PersonTerms>,
    packages: Vec<CarePackage>,
    incentives: HashMap<ProviderId, Vec<EarnedIncentive>>,
}

impl Drafting {
    /// Reads the period's visits (all providers', or only `provider`'s) with their call events,
    /// and the register around them.
    async fn gather(
        store: &dyn Store,
        period: InvoicePeriod,
        provider: Option<&ProviderId>,
        now: Timestamp,
    ) -> Result<Drafting, StoreError> {
        let filter = VisitFilter {
            provider_id: provider.cloned(),
            ..VisitFilter::between(period.starts_on(), period.ends_on())
        };
        let mut visits: HashMap<ProviderId, Vec<MonitoredVisit>> = HashMap::new();
        for monitored in monitor(store, &filter, &MonitoringRules::default(), now).await? {
            visits
                .entry(monitored.visit.provider_id.clone())
                .or_default()
                .push(monitored);
        }
        let rural: HashMap<_, _> = store
            .areas()
            .await?
            .into_iter()
            .map(|area| (area.id, area.rural))
            .collect();
        let people = store
            .people()
            .await?
            .into_iter()
            .map(|person| {
                let terms = PersonTerms {
                    rural: rural.get(&person.area_id).copied().unwrap_or(false),
                    area_id: person.area_id,
                    complex: person.complex_needs,
                    funding_route: person.funding_route,
                };
                (person.id, terms)
            })
            .collect();
        let earned: Vec<_> = store
            .incentives()
            .await?
            .into_iter()
            .filter(|incentive| {
                period.contains(incentive.starts_on)
                    && provider.is_none_or(|only| only == &incentive.provider_id)
            })
            .collect();
        // Whose each incentive is, from its referral: one read of the referrals for them all.
        let person_of: HashMap<_, _> = if earned.is_empty() {
            HashMap::new()
        } else {
            store
                .referrals(None)
                .await?
                .into_iter()
                .map(|record| (record.referral.id, record.referral.person_id))
                .collect()
        };
        let mut incentives: HashMap<ProviderId, Vec<EarnedIncentive>> = HashMap::new();
        for incentive in earned {
            let person_id = person_of.get(&incentive.referral_id).cloned();
            incentives
                .entry(incentive.provider_id)
                .or_default()
                .push(EarnedIncentive {
                    referral_id: incentive.referral_id,
                    person_id,
                    amount: incentive.amount,
                    starts_on: incentive.starts_on,
                    pickup_days: incentive.pickup_days,
                });
        }
        Ok(Drafting {
            period,
            visits,
            contracts: store.contracts().await?,
            people,
            packages: store.packages().await?,
            incentives,
        })
    }

    /// The draft invoice of each of `providers`.
    fn drafts(&self, providers: &[ProviderId]) -> BTreeMap<ProviderId, Invoice> {
        providers
            .iter()
            .map(|provider| (provider.clone(), self.draft(provider)))
            .collect()
    }

    fn draft(&self, provider: &ProviderId) -> Invoice {
        let monitored = self.visits.get(provider).map_or(&[][..], Vec::as_slice);
        let times: Vec<VisitTimes<'_>> = monitored
            .iter()
            .map(|monitored| VisitTimes {
                visit: &monitored.visit,
                check_in: monitored.arrived,
                check_out: monitored.left,
            })
            .collect();
        let contracts: Vec<Contract> = self
            .contracts
            .iter()
            .filter(|contract| &contract.provider_id == provider)
            .cloned()
            .collect();
        let fund_budgets = self.fund_budgets(provider);
        let agreed_rates = self.agreed_rates(provider);
        let incentives = self.incentives.get(provider).map_or(&[][..], Vec::as_slice);
        draft_invoice(&DraftInputs {
            provider_id: provider,
            period: self.period,
            contracts: &contracts,
            visits: &times,
            people: &self.people,
            fund_budgets: &fund_budgets,
            incentives,
            agreed_rates: &agreed_rates,
        })
    }

    /// The rates agreed for `provider`'s packages placed on a quote. Only the package's own
    /// provider is held to its quote: another provider's visits of it pay that provider's rate.
    fn agreed_rates(&self, provider: &ProviderId) -> HashMap<PackageId, Pence> {
        self.packages
            .iter()
            .filter(|package| package.provider_id.as_ref() == Some(provider))
            .filter_map(|package| Some((package.id.clone(), package.agreed_hourly_rate?)))
            .collect()
    }

    /// Each of `provider`'s individual service fund people's weekly budget, week by week: the
    /// weekly carer minutes of their packages with the provider that run on any day of the week.
    fn fund_budgets(&self, provider: &ProviderId) -> BTreeMap<PersonId, Vec<u32>> {
        let weeks = self.period.week_starts();
        let mut budgets: BTreeMap<PersonId, Vec<u32>> = BTreeMap::new();
        for package in &self.packages {
            let funded = self
                .people
                .get(&package.person_id)
                .is_some_and(|person| person.funding_route == FundingRoute::IndividualServiceFund);
            if !funded || package.provider_id.as_ref() != Some(provider) {
                continue;
            }
            let budget = budgets
                .entry(package.person_id.clone())
                .or_insert_with(|| vec![0; weeks.len()]);
            for (week, monday) in weeks.iter().enumerate() {
                let sunday = monday
                    .checked_add(jiff::Span::new().days(6))
                    .expect("within the calendar");
                let runs = package.starts_on <= sunday
                    && package.ends_on.is_none_or(|ends_on| ends_on >= *monday);
                if runs {
                    budget[week] += package.weekly_minutes();
                }
            }
        }
        budgets
    }
}
