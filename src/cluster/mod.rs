//! k-means: parameters, seeding, Lloyd iterations, predict and metrics (DESIGN §3).
