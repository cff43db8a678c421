// DL1001 and DL3001–DL3030: module declarations and the list.
// (Included by mod.rs.)

mod shared_a;

pub mod dl1001;
pub mod dl3001;
pub mod dl3002;
pub mod dl3003;
pub mod dl3004;
pub mod dl3006;
pub mod dl3007;
pub mod dl3008;
pub mod dl3009;
pub mod dl3010;
pub mod dl3011;
pub mod dl3012;
pub mod dl3013;
pub mod dl3014;
pub mod dl3015;
pub mod dl3016;
pub mod dl3018;
pub mod dl3019;
pub mod dl3020;
pub mod dl3021;
pub mod dl3022;
pub mod dl3023;
pub mod dl3024;
pub mod dl3025;
pub mod dl3026;
pub mod dl3027;
pub mod dl3028;
pub mod dl3029;
pub mod dl3030;

/// Rules of part A.
const PART_A: &[&dyn Rule] = &[
    &dl1001::Dl1001,
    &dl3001::Dl3001,
    &dl3002::Dl3002,
    &dl3003::Dl3003,
    &dl3004::Dl3004,
    &dl3006::Dl3006,
    &dl3007::Dl3007,
    &dl3008::Dl3008,
    &dl3009::Dl3009,
    &dl3010::Dl3010,
    &dl3011::Dl3011,
    &dl3012::Dl3012,
    &dl3013::Dl3013,
    &dl3014::Dl3014,
    &dl3015::Dl3015,
    &dl3016::Dl3016,
    &dl3018::Dl3018,
    &dl3019::Dl3019,
    &dl3020::Dl3020,
    &dl3021::Dl3021,
    &dl3022::Dl3022,
    &dl3023::Dl3023,
    &dl3024::Dl3024,
    &dl3025::Dl3025,
    &dl3026::Dl3026,
    &dl3027::Dl3027,
    &dl3028::Dl3028,
    &dl3029::Dl3029,
    &dl3030::Dl3030,
];
