package kubelet

// The images of the docs' "Securing the Service" (Connecting Applications with Services):
// the nginx https example's image (older versions of nginx-secure-app.yaml run it; built
// FROM nginx in 2016, it serves the configuration its conf.d volume gives it as nginx
// does) and curlimages/curl (Alpine with curl, whose shell the curlpod runs).
func init() {
	for _, im := range []*Image{
		{Repository: "bprashanth/nginxhttps", Size: 72475326, New: func(ctr *Container) Program { return newWebServer(ctr, 80, "nginx") }},
		{Repository: "curlimages/curl", Size: 9512313, Shell: true, Cmd: []string{"curl"}},
	} {
		Catalogue[im.Repository] = im
	}
}
