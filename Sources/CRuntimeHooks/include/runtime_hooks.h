#ifndef GUIDE_RUNTIME_HOOKS_H
#define GUIDE_RUNTIME_HOOKS_H

/// Installs `hook` as the Swift runtime's `swift_task_enqueueGlobal_hook` (every job for
/// the global concurrent executor goes to it) unless one is installed already.
/// Returns 1 if `hook` is now installed, 0 if another hook was there first.
///
/// Why C: the variable lives in libswift_Concurrency. SwiftNIO finds it with dlsym, which
/// fails in a binary linked with --static-swift-stdlib (the static archives' symbols are
/// not exported), so there the takeover silently did nothing. A plain extern reference
/// is resolved by the linker in static and dynamic builds alike.
int guide_install_enqueue_global_hook(void *hook);

#endif
