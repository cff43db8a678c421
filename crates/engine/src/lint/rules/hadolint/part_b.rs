// DL3031–DL4006: module declarations and the list.
// (Included by mod.rs.)

mod labels_b;
mod shared_b;

pub mod dl3032;
pub mod dl3033;
pub mod dl3034;
pub mod dl3035;
pub mod dl3036;
pub mod dl3037;
pub mod dl3038;
pub mod dl3040;
pub mod dl3041;
pub mod dl3042;
pub mod dl3043;
pub mod dl3044;
pub mod dl3045;
pub mod dl3046;
pub mod dl3047;
pub mod dl3048;
pub mod dl3049;
pub mod dl3050;
pub mod dl3051;
pub mod dl3052;
pub mod dl3053;
pub mod dl3054;
pub mod dl3055;
pub mod dl3056;
pub mod dl3057;
pub mod dl3058;
pub mod dl3059;
pub mod dl3060;
pub mod dl3061;
pub mod dl3062;
pub mod dl3063;
pub mod dl3064;
pub mod dl3065;
pub mod dl3066;
pub mod dl3067;
pub mod dl4000;
pub mod dl4001;
pub mod dl4003;
pub mod dl4004;
pub mod dl4005;
pub mod dl4006;

/// Rules of part B.
const PART_B: &[&dyn Rule] = &[
    &dl3032::Dl3032,
    &dl3033::Dl3033,
    &dl3034::Dl3034,
    &dl3035::Dl3035,
    &dl3036::Dl3036,
    &dl3037::Dl3037,
    &dl3038::Dl3038,
    &dl3040::Dl3040,
    &dl3041::Dl3041,
    &dl3042::Dl3042,
    &dl3043::Dl3043,
    &dl3044::Dl3044,
    &dl3045::Dl3045,
    &dl3046::Dl3046,
    &dl3047::Dl3047,
    &dl3048::Dl3048,
    &dl3049::Dl3049,
    &dl3050::Dl3050,
    &dl3051::Dl3051,
    &dl3052::Dl3052,
    &dl3053::Dl3053,
    &dl3054::Dl3054,
    &dl3055::Dl3055,
    &dl3056::Dl3056,
    &dl3057::Dl3057,
    &dl3058::Dl3058,
    &dl3059::Dl3059,
    &dl3060::Dl3060,
    &dl3061::Dl3061,
    &dl3062::Dl3062,
    &dl3063::Dl3063,
    &dl3064::Dl3064,
    &dl3065::Dl3065,
    &dl3066::Dl3066,
    &dl3067::Dl3067,
    &dl4000::Dl4000,
    &dl4001::Dl4001,
    &dl4003::Dl4003,
    &dl4004::Dl4004,
    &dl4005::Dl4005,
    &dl4006::Dl4006,
];
