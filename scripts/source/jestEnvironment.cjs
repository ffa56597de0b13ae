// Runs in every test file before it loads: the services a test starts log nothing unless LOG_LEVEL
// asks for it (kit's logger reads LOG_LEVEL and knows nothing of jest).
process.env.LOG_LEVEL ??= 'silent';
