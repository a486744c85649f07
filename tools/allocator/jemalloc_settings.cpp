// jemalloc reads this at its start (before main, and before any environment's MALLOC_CONF,
// which still overrides it). A background thread returns the pages of freed memory to the
// system while the process is idle; without one, jemalloc only does that on later allocations,
// and a manager that settles after a burst would keep the burst's memory.
extern "C" {
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): jemalloc's interface
const char* malloc_conf = "background_thread:true";
}
