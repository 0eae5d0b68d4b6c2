/** The prefix of every database the PostgreSQL tests make: `gl_test_<run>_<data directory digest>`. */
export const TEST_DATABASE_PREFIX = "gl_test_";
