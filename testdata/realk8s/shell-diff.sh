# shell
# kubectl diff as "Declarative Management of Kubernetes Objects Using Configuration Files"
# uses it: before the object exists (all of it added, with the API server's defaults), after
# apply (nothing), after an edit of the file (the changed lines, the generation bumped), a
# Secret's values masked, and the exit status of each case. The temporary directories'
# random names and the files' times are replaced by sed.
cat > d.yaml <<'END'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
spec:
  selector:
    matchLabels:
      app: nginx
  minReadySeconds: 5
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports:
        - containerPort: 80
END
kubectl diff -f d.yaml | sed -E 's/(LIVE|MERGED)-[0-9]+/\1-N/g; s/\t.*//; s/uid: .*/uid: U/; s/(creationTimestamp: ).*/\1T/'
kubectl diff -f d.yaml > /dev/null
echo "exit $?"
kubectl apply -f d.yaml
kubectl diff -f d.yaml
echo "exit $?"
sed 's/1.14.2/1.16.1/; s/minReadySeconds: 5/minReadySeconds: 10/' d.yaml > d2.yaml
kubectl diff -f d2.yaml | sed -E 's/(LIVE|MERGED)-[0-9]+/\1-N/g; s/\t.*//; s/uid: .*/uid: U/; s/(creationTimestamp: ).*/\1T/; s/(resourceVersion: ).*/\1R/'
kubectl diff -f nope.yaml
echo "exit $?"
kubectl diff
echo "exit $?"
kubectl create secret generic s1 --from-literal=a=1 --from-literal=b=2
kubectl get secret s1 -o yaml > s.yaml
sed -i 's/MQ==/Mw==/' s.yaml
kubectl diff -f s.yaml | sed -E 's/(LIVE|MERGED)-[0-9]+/\1-N/g; s/\t.*//'
