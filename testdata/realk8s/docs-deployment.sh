# The docs' Deployments page (concepts/workloads/controllers/deployment): nginx-deployment
# created, rolled out, updated, rolled back, scaled, paused and resumed. What only a kubelet
# decides is left out (the page's nginx:1.161 typo: refk8s's fake kubelet pulls nothing).
# Rollouts are observed once they have finished: a real cluster's pods start at once,
# kubetab's after their image pulls.
kubectl apply -f ../manifests/docs/controllers/nginx-deployment.yaml
kubetab advance 1m
kubectl rollout status deployment/nginx-deployment
kubectl get deployments
kubectl get rs
kubectl get pods --show-labels

# Update the image: a new ReplicaSet scales up while the old one scales down.
kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1
kubetab advance 1m
kubectl rollout status deployment/nginx-deployment
kubectl get rs
kubectl get pods
kubectl describe deployments

# History and rollback.
kubectl rollout history deployment/nginx-deployment
kubectl annotate deployment/nginx-deployment kubernetes.io/change-cause="image updated to 1.16.1"
kubectl rollout history deployment/nginx-deployment
kubectl rollout history deployment/nginx-deployment --revision=2
kubectl rollout undo deployment/nginx-deployment
kubetab advance 1m
kubectl get deployment nginx-deployment
kubectl rollout history deployment/nginx-deployment
kubectl rollout undo deployment/nginx-deployment --to-revision=2
kubetab advance 1m
kubectl get rs
kubectl rollout undo deployment/nginx-deployment --to-revision=99

# Scale.
kubectl scale deployment/nginx-deployment --replicas=10
kubetab advance 2m
kubectl get deployment nginx-deployment
kubectl get rs

# Pause, change twice, resume: one rollout for both changes.
kubectl rollout pause deployment/nginx-deployment
kubectl set image deployment/nginx-deployment nginx=nginx:1.17.0
kubetab advance 5s
kubectl get rs
kubectl rollout history deployment/nginx-deployment
kubectl set resources deployment/nginx-deployment -c=nginx --limits=cpu=200m,memory=512Mi
kubectl rollout pause deployment/nginx-deployment
kubectl rollout resume deployment/nginx-deployment
kubetab advance 2m
kubectl rollout status deployment/nginx-deployment
kubectl get rs
kubectl get deployment nginx-deployment -o wide

# Errors.
kubectl set image deployment/nginx-deployment nosuch=nginx:1.16.1
kubectl rollout status deployment/missing
kubectl rollout resume deployment/nginx-deployment
kubectl create deployment web --image=nginx:1.14.2 --replicas=2
kubetab advance 1m
kubectl get deployment web -o yaml
kubectl delete deployment nginx-deployment web
kubetab advance 1m
kubectl get all
