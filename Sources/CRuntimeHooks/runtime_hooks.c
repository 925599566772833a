#include "runtime_hooks.h"

#include <stddef.h>

// Declared in the Swift runtime's Concurrency.h as a function pointer with the Swift
// calling convention; only ever stored here, so an untyped pointer is enough.
extern void *swift_task_enqueueGlobal_hook;

int guide_install_enqueue_global_hook(void *hook) {
    void *expected = NULL;
    return __atomic_compare_exchange_n(&swift_task_enqueueGlobal_hook, &expected, hook, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) ? 1 : 0;
}
