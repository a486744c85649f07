#pragma once

/// The session actor: one per live session, driving its state machine
///
///   PENDING -> SCHEDULED -> PREPARING -> PULLING -> PREPARED -> CREATING -> RUNNING
///        \__________________ any _______________________/        |
///                             v                                   v
///                           ERROR                  TERMINATING -> TERMINATED
///
/// from the front (bound, still_pending, terminate) and from agent events (through the hub).
/// Every transition is stored with its reason.
///
///  - bound: store the binding, SCHEDULED; attach to the hub for the pulls of its images on its
///    agents; PREPARING; ask the launcher to trigger_image_pulling.
///  - image_pull_event started/progress: PULLING; finished for every (agent, image): PREPARED;
///    failed: ERROR.
///  - PREPARED: CREATING at once, and the launcher's start_sessions. Its report failing is ERROR
///    (the launcher wrote the error info); kernel_started events, or the report's success
///    confirmed by check_running, give RUNNING with each kernel's container id.
///  - a start that failed on agents for reasons of their own (launch_retry.hpp) is placed again,
///    up to `launch_retries` times: the session destroys what the attempt left on its agents,
///    goes back to PENDING and asks the front to place it again (front::place_again), on other
///    agents when any has room; its status_data lists every failed attempt. Agent-side
///    failures also go to the front for the agents' quarantine (front::launch_failed).
///  - RUNNING: a kernel_terminated event of one of its kernels ends the whole session.
///  - terminate: TERMINATING, destroy_kernel on every kernel (after a start still under way
///    answers), the volatile network destroyed (the single-node bridge on its agent, or the
///    network plugin), TERMINATED.
///
/// Events can be lost. Each waiting phase arms a timer (`phase_probe_after`), re-armed by every
/// event of the phase; when it fires the session asks its agents:
///  - pulling: check_pulling per image; while one runs it waits; when none runs it re-sends
///    check_and_pull once (idempotent on the agent), and after that moves on to creation (the
///    agent pulls a missing image while creating the kernel);
///  - creating: check_running, then check_creating per kernel not yet started; running kernels
///    count as started; while one is being created (or the launcher has not answered) it waits;
///    kernels that are neither after a successful start are asked for again with create_kernels
///    (idempotent on the agent) once, and are ERROR if they still are neither after that.
///    Once the launcher reports the start done, the kernels whose kernel_started event has not
///    come are probed after `started_events_grace` (1 s) instead of the whole phase timer.
/// A session that has not reached RUNNING within `session_start_timeout` of being scheduled is
/// ERROR with that reason: no session stays stuck.
///
/// A RUNNING session parks once it has had nothing under way for `park_idle_after`: it tells
/// the front (front::session_idle), the front has the hub route its events to the front
/// (hub::detach_session), the hub sends it sess::sleep after every event it routed to it, and
/// the actor ends if it is still idle then (front::session_asleep) or attaches to the hub again
/// if one of those events woke it. The front then keeps only a summary of a parked session (its
/// spec stays in the store). Its actor is spawned again, RUNNING with every kernel started and
/// its spec read back from the store, when a termination, a restart or a kernel event comes for
/// it.

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include <caf/actor_system.hpp>

#include "actors/manager/image_cache.hpp"
#include "actors/manager/session_context.hpp"
#include "messages/manager_internal_interface.hpp"
#include "messages/session_records.hpp"

namespace baikal {

/// A session actor for `spec` (a new PENDING session, or one recovered from the store in any
/// non-final status) where `record` left it (`record.spec` is not read: `spec` is), with the
/// image configs of its kernels by canonical reference. Monitored by the spawning actor, which
/// stops it when it ends itself. Not linked: CAF removes a link by scanning the linked actor's
/// list of links, so every session ending would cost the front a walk over every live session's
/// link (100,000 sessions ending took minutes).
///
/// `held` are the messages that came for a parked session while it had no actor: the new actor
/// takes them before it attaches to the hub, so that an event routed to it afterwards can never
/// overtake one that came before (a kernel's exec-timeout overtaken by the reconciliation's
/// "already-terminated" would end the session with the wrong reason).
session_actor spawn_session(caf::local_actor* parent, std::shared_ptr<const session_context> ctx,
                            shared_spec spec, session_record record, shared_images images,
                            std::vector<caf::message> held = {});

} // namespace baikal
