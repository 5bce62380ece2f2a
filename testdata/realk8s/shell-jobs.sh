# shell
# Background watches as bash runs them: `kubectl get -w ... &` prints while later commands
# run, `jobs` lists it, `kill %N` ends it (kubectl exits 1), `wait` waits for a watch with a
# --request-timeout, and a job reported once is gone.
kubectl get namespaces -w &
sleep 2
jobs
kubectl create namespace one
sleep 2
kubectl label namespace one team=a
sleep 2
kill %1
sleep 1
jobs
kubectl get namespaces -w --request-timeout=3s &
sleep 1
kubectl create namespace two
wait
jobs
wait %1
kill %1
