package dev.rotor.consumer.gke;

/** {@code gke:projects/P/locations/L/clusters/C/namespaces/N/deployments/D}, taken apart. */
record GkeTarget(String cluster, String namespace, String deployment) {
    static GkeTarget parse(String target) {
        String[] p = target.substring("gke:".length()).split("/");
        if (p.length != 10 || !p[0].equals("projects") || !p[2].equals("locations") || !p[4].equals("clusters")
                || !p[6].equals("namespaces") || !p[8].equals("deployments")) {
            throw new IllegalArgumentException(target + " is not gke:projects/P/locations/L/clusters/C/namespaces/N/"
                    + "deployments/D");
        }
        return new GkeTarget(String.join("/", p[0], p[1], p[2], p[3], p[4], p[5]), p[7], p[9]);
    }

    @Override
    public String toString() {
        return cluster + "/namespaces/" + namespace + "/deployments/" + deployment;
    }
}
