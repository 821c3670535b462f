// Taskcluster URL shapes (see the deployment's /references): every API is ${rootUrl}/api/<service>/v1/<route>.

export function apiUrl(rootUrl: string, service: string, route: string): string {
  return `${rootUrl.replace(/\/+$/, '')}/api/${service}/v1/${route.replace(/^\/+/, '')}`;
}

export function deploymentUrl(rootUrl: string, route: string): string {
  return `${rootUrl.replace(/\/+$/, '')}/${route.replace(/^\/+/, '')}`;
}
