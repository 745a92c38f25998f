//! Skills a visit may need and a care worker may hold.

use crate::codes::{code_enum, impl_code_list};

code_enum! {
    /// A skill or competence beyond core personal care (the seeds name epilepsy, diabetes, dementia
    /// and delegated health tasks).
    pub enum Skill {
        /// Dementia care.
        Dementia => "dementia", "Dementia care";
        /// Epilepsy, including rescue medication.
        Epilepsy => "epilepsy", "Epilepsy";
        /// Diabetes, including insulin prompts.
        Diabetes => "diabetes", "Diabetes";
        /// Administering medication beyond prompting.
        Medication => "medication", "Medication administration";
        /// Delegated health tasks such as stoma, catheter or PEG care.
        DelegatedHealthTasks => "delegated-health", "Delegated health tasks";
        /// Moving and handling with a hoist.
        Hoist => "hoist", "Hoist and moving and handling";
        /// End of life care.
        EndOfLife => "end-of-life", "End of life care";
        /// Positive behaviour support for behaviour that challenges.
        BehaviourSupport => "behaviour-support", "Positive behaviour support";
    }
}

impl_code_list!(Skill);
