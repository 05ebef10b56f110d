// V8 sized for a long-running controller rather than a short burst of work: optimize-for-size
// grows the old generation in smaller steps and collects it sooner, so garbage from one pass does not
// sit in the heap until the next. At 2,350 resources that is 160 MB RSS instead of 219 MB, for a
// little more time spent collecting (bench/estate-heap.ts measures both settings).
// Imported first by main.ts, so it is set before the rest of the program allocates.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--optimize-for-size');
