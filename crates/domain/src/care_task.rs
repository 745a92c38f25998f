//! What a care worker did on a visit, as they record it when checking out.

use crate::codes::{code_enum, impl_code_list};

code_enum! {
    /// A kind of task done on a visit: the headings of a home care support plan, broad enough
    /// that a worker can tick them on a phone in a few seconds.
    pub enum CareTask {
        /// Washing, bathing, dressing, toileting, continence care.
        PersonalCare => "personal-care", "Personal care";
        /// Prompting, giving or recording medication.
        Medication => "medication", "Medication";
        /// Preparing a meal or a drink, or help with eating and drinking.
        MealOrDrink => "meal-or-drink", "Meal or drink";
        /// Cleaning, laundry, washing up, making the bed.
        Domestic => "domestic", "Domestic tasks";
        /// Moving about, transfers, getting up or going to bed.
        Mobility => "mobility", "Mobility and transfers";
        /// Company and conversation, a walk, an activity.
        Companionship => "companionship", "Companionship";
        /// Shopping, collecting prescriptions, posting letters.
        ShoppingAndErrands => "shopping-and-errands", "Shopping and errands";
        /// Anything else (the note says what).
        Other => "other", "Other";
    }
}

impl_code_list!(CareTask);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_task_round_trips_and_has_a_label() {
        for task in CareTask::ALL {
            assert_eq!(CareTask::parse(task.code(), "tasks").unwrap(), *task);
            assert!(!task.label().is_empty());
        }
        let error = CareTask::parse("gardening", "tasks").unwrap_err();
        assert_eq!(error.field, "tasks");
        assert!(error.message.contains("personal-care"), "{}", error.message);
    }
}
