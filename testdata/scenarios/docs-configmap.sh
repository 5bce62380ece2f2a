# The Kubernetes docs' "Configure a Pod to Use a ConfigMap" task, its commands that need
# no pipe, variable or kustomization, in the page's order. Paths are relative to this
# script's directory: ../manifests/docs/configure-pod-container/configmap/ holds the page's
# game.properties and ui.properties, .../env/ its env files (the page downloads them into
# the same directory after it made game-config from it).

# Create ConfigMaps from directories: one key per regular file.
kubectl create configmap game-config --from-file=../manifests/docs/configure-pod-container/configmap/
kubectl describe configmaps game-config
kubectl get configmaps game-config -o yaml

# Create ConfigMaps from files.
kubectl create configmap game-config-2 --from-file=../manifests/docs/configure-pod-container/configmap/game.properties
kubectl describe configmaps game-config-2
# The page runs this with the name it just used: a real cluster refuses it.
kubectl create configmap game-config-2 --from-file=../manifests/docs/configure-pod-container/configmap/game.properties --from-file=../manifests/docs/configure-pod-container/configmap/ui.properties
kubectl delete configmap game-config-2
kubectl create configmap game-config-2 --from-file=../manifests/docs/configure-pod-container/configmap/game.properties --from-file=../manifests/docs/configure-pod-container/configmap/ui.properties
kubectl describe configmaps game-config-2

# --from-env-file: KEY=value lines; comments and blank lines are skipped, quotes kept.
kubectl create configmap game-config-env-file --from-env-file=../manifests/docs/configure-pod-container/env/game-env-file.properties
kubectl get configmap game-config-env-file -o yaml
# The page says only the last env file counts: kubectl v1.37 takes them all.
kubectl create configmap config-multi-env-files --from-env-file=../manifests/docs/configure-pod-container/env/game-env-file.properties --from-env-file=../manifests/docs/configure-pod-container/env/ui-env-file.properties
kubectl get configmap config-multi-env-files -o yaml

# A key of your own for a file.
kubectl create configmap game-config-3 --from-file=game-special-key=../manifests/docs/configure-pod-container/configmap/game.properties
kubectl get configmaps game-config-3 -o yaml

# From literal values.
kubectl create configmap special-config --from-literal=special.how=very --from-literal=special.type=charm
kubectl get configmaps special-config -o yaml
kubectl get configmap

# Define container environment variables using ConfigMap data. special-config exists
# already (with special.how=very), as the page's next command finds it.
kubectl create configmap special-config --from-literal=special.how=very
kubectl create -f ../manifests/docs/pods/pod-single-configmap-env-variable.yaml
kubetab advance 10s
kubectl get pod dapi-test-pod
kubectl logs dapi-test-pod
kubectl delete pod dapi-test-pod

# From multiple ConfigMaps: special-config is there already, env-config is new.
kubectl create -f ../manifests/docs/configmap/configmaps.yaml
kubectl create -f ../manifests/docs/pods/pod-multiple-configmap-env-variable.yaml
kubetab advance 10s
kubectl logs dapi-test-pod
kubectl delete pod dapi-test-pod

# All key-value pairs of a ConfigMap as environment variables (the page starts this
# section with a special-config of its own).
kubectl delete configmap special-config
kubectl create -f ../manifests/docs/configmap/configmap-multikeys.yaml
kubectl create -f ../manifests/docs/pods/pod-configmap-envFrom.yaml
kubetab advance 10s
kubectl logs dapi-test-pod
kubectl delete pod dapi-test-pod

# ConfigMap-defined environment variables in a command: $(VAR) is expanded by the kubelet.
kubectl create -f ../manifests/docs/pods/pod-configmap-env-var-valueFrom.yaml
kubetab advance 10s
kubectl logs dapi-test-pod
kubectl delete pod dapi-test-pod

# Add ConfigMap data to a volume: a file per key.
kubectl create -f ../manifests/docs/pods/pod-configmap-volume.yaml
kubetab advance 10s
kubectl logs dapi-test-pod
kubectl describe pod dapi-test-pod
kubectl delete pod dapi-test-pod

# A key at a path of its own.
kubectl create -f ../manifests/docs/pods/pod-configmap-volume-specific-key.yaml
kubetab advance 10s
kubectl logs dapi-test-pod
kubectl delete pod dapi-test-pod
