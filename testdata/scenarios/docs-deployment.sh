# The Kubernetes docs' Deployment page (concepts/workloads/controllers/deployment.md), its
# commands as the page prints them: create the nginx Deployment, watch its rollout, update
# the image, get stuck on a typo in the image tag, read the rollout history, roll back,
# scale (proportionally, in the middle of a rollout), pause and resume with several
# changes, and a rollout that exceeds its progress deadline.
# Paths are relative to this script's directory.
#
# ReplicaSet and pod names come from the pod template's hash and the cluster's seeded
# random source: with the scenario test's fixed --seed and --start they are the same on
# every run, and this script names them directly.

# Creating a Deployment.
kubectl apply -f ../manifests/docs/controllers/nginx-deployment.yaml
kubectl get deployments
kubectl rollout status deployment/nginx-deployment
kubectl get deployments
kubectl get rs
kubectl get pods --show-labels
kubectl describe rs nginx-deployment-54fd4d6d4c

# Updating a Deployment: a new ReplicaSet, scaled up while the old one is scaled down.
kubectl set image deployment.v1.apps/nginx-deployment nginx=nginx:1.16.1
kubectl annotate deployment/nginx-deployment kubernetes.io/change-cause="image updated to 1.16.1"
kubectl rollout status deployment/nginx-deployment
kubectl get deployments
kubectl get rs
kubectl get pods
kubectl describe deployments

# Rolling back: a typo in the image tag. The new pod cannot pull its image, the rollout
# gets stuck (the page presses Ctrl-C; kubetab stops watching after its watch window).
kubectl set image deployment/nginx-deployment nginx=nginx:1.161
kubectl annotate deployment/nginx-deployment kubernetes.io/change-cause="image updated to 1.161" --overwrite
kubectl rollout status deployment/nginx-deployment
kubectl get rs
kubectl get pods
kubectl describe deployment

# The rollout history, and the details of one revision.
kubectl rollout history deployment/nginx-deployment
kubectl rollout history deployment/nginx-deployment --revision=2

# Rolling back to the previous revision: its ReplicaSet becomes the new one again, as
# revision 4, and no ReplicaSet is created.
kubectl rollout undo deployment/nginx-deployment
kubectl rollout status deployment/nginx-deployment
kubectl get deployment nginx-deployment
kubectl describe deployment nginx-deployment
kubectl get rs

# --to-revision names a revision of the history as it is now: revision 2 became 4.
kubectl rollout history deployment/nginx-deployment
kubectl rollout undo deployment/nginx-deployment --to-revision=2
kubectl rollout undo deployment/nginx-deployment --to-revision=1
kubectl rollout status deployment/nginx-deployment
kubectl get rs
kubectl rollout undo deployment/nginx-deployment --to-revision=4
kubectl rollout status deployment/nginx-deployment

# Scaling a Deployment. The HorizontalPodAutoscaler has no metrics (no metrics-server) and
# would have no CPU requests to measure against: it holds the replicas within 10 and 15.
kubectl scale deployment/nginx-deployment --replicas=10
kubectl autoscale deployment/nginx-deployment --min=10 --max=15 --cpu-percent=80
kubectl rollout status deployment/nginx-deployment

# Proportional scaling: 10 replicas with maxSurge 3 and maxUnavailable 2, a rollout to an
# image that cannot be pulled, then 5 more replicas spread over both ReplicaSets.
kubectl patch deployment/nginx-deployment -p '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":3,"maxUnavailable":2}}}}'
kubectl get deploy
kubectl set image deployment/nginx-deployment nginx=nginx:sometag
kubetab advance 30s
kubectl get rs
kubectl scale deployment/nginx-deployment --replicas=15
kubectl get deploy
kubectl get rs

# Pausing and resuming a rollout, on a Deployment created afresh (without the autoscaler,
# which would hold it at 10).
kubectl delete hpa nginx-deployment
kubectl delete deployment nginx-deployment
kubectl apply -f ../manifests/docs/controllers/nginx-deployment.yaml
kubectl rollout status deployment/nginx-deployment
kubectl get deploy
kubectl get rs
kubectl rollout pause deployment/nginx-deployment
kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1
kubectl rollout history deployment/nginx-deployment
kubectl get rs
kubectl set resources deployment/nginx-deployment -c=nginx --limits=cpu=200m,memory=512Mi
kubectl rollout pause deployment/nginx-deployment
kubectl rollout undo deployment/nginx-deployment
kubectl rollout resume deployment/nginx-deployment
kubectl get rs -w --request-timeout=30s
kubectl get rs
kubectl rollout history deployment/nginx-deployment

# Deployment status: complete, then failed. progressDeadlineSeconds is 600 by default.
kubectl rollout status deployment/nginx-deployment
kubectl patch deployment/nginx-deployment -p '{"spec":{"progressDeadlineSeconds":600}}'
kubectl set image deployment/nginx-deployment nginx=nginx:1.161
kubetab advance 11m
kubectl describe deployment nginx-deployment
kubectl rollout status deployment/nginx-deployment
kubectl get deployment nginx-deployment -o jsonpath='{.status.conditions[?(@.type=="Progressing")].message}'
