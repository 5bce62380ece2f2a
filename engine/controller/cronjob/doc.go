// Package cronjob is the CronJob controller (batch/v1, component `cronjob-controller`) with
// the semantics of upstream's modern v2 controller (pkg/controller/cronjob,
// cronjob_controllerv2.go and utils.go).
//
// It owns: reading schedules with robfig/cron's standard parser (five fields or @-descriptors)
// in spec.timeZone (a zone of the embedded database, engine/zoneinfo, on every host), or in
// UTC, which is the zone of kubetab's simulated controller manager;
// finding the most recent unmet schedule time since status.lastScheduleTime (or the
// creation time), bounded by startingDeadlineSeconds, and warning when more than 100 were
// missed; creating one Job per scheduled time, named `<cronjob>-<minutes since the epoch>`,
// with the template's labels and annotations, the scheduled-timestamp annotation and a
// controller ownerReference; the concurrency policies (Allow, Forbid, Replace); suspend;
// status.active, lastScheduleTime and lastSuccessfulTime; and the history limits, which
// delete the oldest finished Jobs with background propagation.
//
// A Job belongs to a CronJob when its controller reference names the CronJob, exactly as
// upstream decides it; Jobs created with `kubectl create job --from=cronjob/...` carry such
// a reference, so, as upstream, they are reported as unexpected while they run and count
// towards the history limits once finished.
//
// sync re-reads the CronJob and its Jobs and returns how long until the next schedule time
// (plus upstream's 100 ms), so that virtual time jumps from one schedule to the next.
// Upstream syncs on every change of a CronJob or of one of its Jobs; the handlers here skip
// the changes after which a sync provably does nothing (the controller's own status writes,
// the creation of a Job it already recorded, the deletion of a Job no longer active, Job
// status writes that leave the finished condition alone), which halves the syncs of a busy
// CronJob without changing what it does.
// The decisions are receiver-less functions that tests call directly: mostRecentScheduleTime,
// nextScheduleTime, nextScheduleDelay, startingDeadlineMissed, jobName, jobFromTemplate,
// finishedCondition and historyToDelete.
//
// It imports sim, store, events, api and zoneinfo; it must not import other controllers, the scheduler
// or the kubelet. Running the Jobs is the Job controller's work; removing the pods of deleted
// Jobs, and the Jobs of a deleted CronJob, is the garbage collector's.
package cronjob
