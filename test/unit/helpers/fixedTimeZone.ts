// Imported first by tests that read formatted local times: the computer's zone is India's (UTC+05:30 all
// year, a half-hour offset a careless conversion would miss), wherever the tests run. Node reads a TZ set at
// run time; each test file runs in a process of its own.
process.env.TZ = 'Asia/Kolkata';

/** The offset of that zone, minutes east of UTC. */
export const TEST_ZONE_OFFSET = 330;
