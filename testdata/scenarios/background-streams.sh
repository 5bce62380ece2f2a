# Background streams as the docs run them "in another terminal" or with &: a watch and a
# follow print while later commands run, at the virtual instants things happen; jobs, kill
# and wait manage them as bash does. (A job's first output shows under the next command, as
# in bash where it is another process: here it is on the job's line, for the test that runs
# each line in a process of its own.)
kubectl create deployment web --image=nginx --replicas=2
kubectl get pods --watch & jobs
kubectl rollout status deployment/web
kubectl scale deployment web --replicas=3
sleep 5
kill %1
jobs
kubectl create job hello --image=busybox -- sh -c 'echo one; sleep 5; echo two'
kubectl wait --for=condition=ready pod -l job-name=hello
kubectl logs -f job/hello & kubectl get deploy -w --request-timeout=30s & jobs
wait %1
jobs
kubectl set image deployment/web nginx=nginx:1.27
wait
jobs
kill %3
wait %7
