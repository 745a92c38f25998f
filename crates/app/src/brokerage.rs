//! Brokerage: a referral through reablement and the offer cascade to a placed package.

use crate::Ids;
use crate::context::MarketView;
use homeward_domain::brokerage::{
    Decision, Needs, Offer, OfferResponse, ReablementOutcome, Referral, StepKind, decide,
};
use homeward_domain::brokerage::{Incentive, Placement, ReablementEpisode, ReferralStatus};
use homeward_domain::{
    CarePackage, FieldError, Invalid, OfferId, PackageId, Person, ProviderId, ReferralId,
    london_date,
};
use homeward_preset::BrokerageSpec;
use homeward_store::{AnswerOutcome, ReferralStart, Store, StoreError};
use jiff::Timestamp;
use jiff::civil::Date;
use std::sync::Arc;
use tokio::sync::OnceCell;

/// Why a brokerage step could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum BrokerageError {
    /// The request breaks a rule; nothing changed.
    #[error("{0}")]
    Invalid(#[from] Invalid),
    /// A record the step needs does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What happened to a referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// It went to reablement first.
    InReablement,
    /// Offers went out at a step.
    Offered {
        /// The step.
        step: StepKind,
        /// How many providers were asked.
        providers: usize,
    },
    /// Offers are out; nothing to do before this time.
    Waiting {
        /// The offers' deadline.
        until: Timestamp,
    },
    /// It was placed with a provider, care starting on a day.
    Placed {
        /// The provider.
        provider_id: ProviderId,
        /// The first day of care.
        start_on: Date,
    },
    /// Nobody is left to ask: it is on the waiting list.
    Unplaced,
    /// It is not in the cascade (placed already, in reablement, closed).
    NotOffering,
}

/// Brokerage over a store, with the council's rules.
pub struct Brokerage {
    store: Arc<dyn Store>,
    spec: BrokerageSpec,
    ids: Ids,
    market: OnceCell<MarketView>,
}

impl Brokerage {
    /// Brokerage with the given rules.
    pub fn new(store: Arc<dyn Store>, spec: BrokerageSpec, ids: Ids) -> Brokerage {
        Brokerage {
            store,
            spec,
            ids,
            market: OnceCell::new(),
        }
    }

    /// The rules in force.
    pub fn spec(&self) -> &BrokerageSpec {
        &self.spec
    }

    /// The store it works over, for the use cases built on it.
    pub(crate) fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// Where its new ids come from.
    pub(crate) fn ids(&self) -> &Ids {
        &self.ids
    }

    async fn market(&self) -> Result<&MarketView, StoreError> {
        self.market
            .get_or_try_init(|| async {
                Ok(MarketView {
                    areas: self.store.areas().await?,
                    providers: self.store.providers().await?,
                    branches: self.store.branches().await?,
                    awards: self.store.awards().await?,
                })
            })
            .await
    }

    /// A new referral id.
    pub fn new_referral_id(&self) -> ReferralId {
        ReferralId::from_suffix(&self.ids.suffix()).expect("generated suffixes are valid")
    }

    /// Takes in a referral: to reablement first when the rules say so, else into the cascade.
    pub async fn refer(
        &self,
        referral: &Referral,
        now: Timestamp,
        actor: &str,
    ) -> Result<Progress, BrokerageError> {
        self.take_in(referral, None, now, actor).await
    }

    /// Takes `referral` in at `now`, audited as `actor`, with `new_person` when the referral's
    /// person is new to the register: checked first, then the person, the referral and (when
    /// it goes to reablement first) its episode stored in one transaction, so that a refused
    /// referral leaves nobody new behind and a referral in reablement never waits without its
    /// episode; then, outside reablement, its first offers sent.
    pub async fn take_in(
        &self,
        referral: &Referral,
        new_person: Option<&Person>,
        now: Timestamp,
        actor: &str,
    ) -> Result<Progress, BrokerageError> {
        referral.validate_on(london_date(now))?;
        let start = if self.spec.reablement.sends_to_reablement(referral) {
            ReferralStart::Reablement(ReablementEpisode {
                referral_id: referral.id.clone(),
                started_on: referral.needed_by,
                ended: None,
                onward_referral_id: None,
            })
        } else {
            ReferralStart::At(ReferralStatus::Offering)
        };
        self.store
            .create_person_and_referral(new_person, referral, &start, actor)
            .await?;
        match start {
            ReferralStart::Reablement(_) => Ok(Progress::InReablement),
            ReferralStart::At(_) => self.advance(&referral.id, now, actor).await,
        }
    }

    /// Ends a referral's reablement with its outcome; an onward referral, with the revised needs
    /// for reduced care, goes into the cascade.
    pub async fn end_reablement(
        &self,
        referral_id: &ReferralId,
        ended_on: Date,
        outcome: ReablementOutcome,
        revised: Option<Needs>,
        now: Timestamp,
        actor: &str,
    ) -> Result<Option<ReferralId>, BrokerageError> {
        let today = london_date(now);
        if ended_on > today {
            return Err(Invalid(vec![FieldError::new(
                "ended_on",
                format!("The episode cannot end after today ({today})"),
            )])
            .into());
        }
        let record = self
            .store
            .referral(referral_id)
            .await?
            .ok_or_else(|| BrokerageError::NotFound(format!("referral {referral_id}")))?;
        let episode = self
            .store
            .reablement_episode(referral_id)
            .await?
            .ok_or_else(|| {
                BrokerageError::NotFound(format!("reablement episode of {referral_id}"))
            })?;
        let onward = outcome
            .onward_referral(
                &record.referral,
                self.new_referral_id(),
                episode.started_on,
                ended_on,
                revised,
            )
            .map_err(Invalid::from)?;
        self.store
            .end_reablement(referral_id, ended_on, outcome, onward.as_ref(), actor)
            .await?;
        if let Some(onward) = &onward {
            self.advance(&onward.id, now, actor).await?;
        }
        Ok(onward.map(|referral| referral.id))
    }

    /// Takes the referral's next cascade step at `now`: sends offers, places it, or lists it as
    /// unplaced, as the rules decide.
    pub async fn advance(
        &self,
        referral_id: &ReferralId,
        now: Timestamp,
        actor: &str,
    ) -> Result<Progress, BrokerageError> {
        let record = self
            .store
            .referral(referral_id)
            .await?
            .ok_or_else(|| BrokerageError::NotFound(format!("referral {referral_id}")))?;
        if record.status != ReferralStatus::Offering {
            return Ok(Progress::NotOffering);
        }
        let referral = &record.referral;
        let market = self.market().await?;
        let area = market
            .area(&referral.area_id)
            .ok_or_else(|| BrokerageError::NotFound(format!("area {}", referral.area_id)))?;
        let capacity = self.store.capacity_returns(london_date(now)).await?;
        let context = market.context(area, referral.needs.weekly_minutes(), &capacity);
        let offers = self.store.offers(referral_id).await?;
        match decide(&self.spec.cascade, area.tier, &context, &offers, now) {
            Decision::Send {
                step_index,
                step,
                providers,
                deadline,
            } => {
                let new_offers: Vec<Offer> = providers
                    .iter()
                    .map(|provider_id| Offer {
                        id: OfferId::from_suffix(&self.ids.suffix())
                            .expect("generated suffixes are valid"),
                        provider_id: provider_id.clone(),
                        step_index,
                        step,
                        sent_at: now,
                        deadline,
                        response: None,
                    })
                    .collect();
                self.store
                    .create_offers(&new_offers, referral_id, actor)
                    .await?;
                Ok(Progress::Offered {
                    step,
                    providers: new_offers.len(),
                })
            }
            Decision::Wait { until } => Ok(Progress::Waiting { until }),
            Decision::Award {
                offer_id,
                provider_id,
                start_on,
                step,
                agreed_hourly_rate,
            } => {
                // The quote that won a broadcast step binds: the package is paid at it, and is
                // stored with it in the placement's transaction.
                let package = CarePackage {
                    id: PackageId::from_suffix(&self.ids.suffix())
                        .expect("generated suffixes are valid"),
                    person_id: referral.person_id.clone(),
                    provider_id: Some(provider_id.clone()),
                    pattern: referral.needs.pattern.clone(),
                    skills: referral.needs.skills.clone(),
                    starts_on: start_on,
                    ends_on: None,
                    agreed_hourly_rate,
                };
                let placement = Placement {
                    offer_id,
                    provider_id: provider_id.clone(),
                    step,
                    package_id: package.id.clone(),
                    started_on: start_on,
                    placed_at: now,
                };
                let pickup_days = (start_on - referral.referred_on).get_days();
                let incentive = self
                    .spec
                    .early_start_incentive
                    .filter(|rule| area.hard_to_serve && pickup_days <= rule.within_days as i32)
                    .map(|rule| Incentive {
                        referral_id: referral_id.clone(),
                        provider_id: provider_id.clone(),
                        amount: rule.amount,
                        pickup_days,
                        starts_on: start_on,
                    });
                if self
                    .store
                    .place_referral(&placement, referral_id, &package, incentive.as_ref(), actor)
                    .await?
                {
                    Ok(Progress::Placed {
                        provider_id,
                        start_on,
                    })
                } else {
                    Ok(Progress::NotOffering)
                }
            }
            Decision::Unplaced => {
                self.store
                    .move_referral(
                        referral_id,
                        ReferralStatus::Offering,
                        ReferralStatus::Unplaced,
                        actor,
                    )
                    .await?;
                Ok(Progress::Unplaced)
            }
        }
    }

    /// Records a provider's answer to its offer, then moves the referral on if the answer
    /// settles its step. An answer to an offer that is not open changes nothing.
    pub async fn answer(
        &self,
        offer_id: &OfferId,
        provider_id: &ProviderId,
        response: &OfferResponse,
        now: Timestamp,
        actor: &str,
    ) -> Result<Option<Progress>, BrokerageError> {
        let (offer, record) = self
            .store
            .offer(offer_id)
            .await?
            .filter(|(offer, _)| &offer.provider_id == provider_id)
            .ok_or_else(|| BrokerageError::NotFound(format!("offer {offer_id}")))?;
        response.validate_at(offer.step, london_date(now))?;
        let referral_id = record.referral.id;
        match self
            .store
            .answer_offer(offer_id, provider_id, response, now, actor)
            .await?
        {
            AnswerOutcome::Recorded => Ok(Some(self.advance(&referral_id, now, actor).await?)),
            AnswerOutcome::NotOpen => Ok(None),
        }
    }

    /// The referral with where it stands.
    pub async fn store_referral(
        &self,
        id: &ReferralId,
    ) -> Result<homeward_domain::brokerage::ReferralRecord, BrokerageError> {
        self.store
            .referral(id)
            .await?
            .ok_or_else(|| BrokerageError::NotFound(format!("referral {id}")))
    }

    /// Where the referral stands.
    pub async fn status(&self, id: &ReferralId) -> Result<ReferralStatus, BrokerageError> {
        Ok(self.store_referral(id).await?.status)
    }

    /// The referral's unanswered offers.
    pub async fn open_offers(&self, id: &ReferralId) -> Result<Vec<Offer>, BrokerageError> {
        Ok(self
            .store
            .offers(id)
            .await?
            .into_iter()
            .filter(|offer| offer.response.is_none())
            .collect())
    }

    /// Moves on every referral whose offers have expired by `now`; returns how many moved.
    pub async fn expire(&self, now: Timestamp, actor: &str) -> Result<usize, BrokerageError> {
        let mut moved = 0;
        for record in self.store.referrals(Some(ReferralStatus::Offering)).await? {
            match self.advance(&record.referral.id, now, actor).await? {
                Progress::Waiting { .. } | Progress::NotOffering => {}
                _ => moved += 1,
            }
        }
        Ok(moved)
    }
}
