/** Loads every audience's catalogue (so `CATALOGUES` is complete for tests and tools). */
import './portal/index.ts';
import './notify/index.ts';
import './console/index.ts';
import './sms/index.ts';
