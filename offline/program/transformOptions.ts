// The resource options of a registration as the engine sends them to a transform
// (TransformResourceOptions), and a transform's answer written back into the registration.

/* eslint-disable @typescript-eslint/no-explicit-any */
// The SDK's protobuf classes are internal JavaScript modules without types.
type Request = any;

/** The options the engine puts in a TransformRequest, from the registration. */
export function transformOptionsOf(resproto: any, req: Request): Request {
    const options = new resproto.TransformResourceOptions();
    options.setDependsOnList(req.getDependenciesList());
    if (req.hasProtect()) options.setProtect(req.getProtect());
    options.setIgnoreChangesList(req.getIgnorechangesList());
    options.setReplaceOnChangesList(req.getReplaceonchangesList());
    options.setVersion(req.getVersion());
    options.setAliasesList(req.getAliasesList());
    options.setProvider(req.getProvider());
    const providers = options.getProvidersMap();
    req.getProvidersMap().forEach((v: string, k: string) => providers.set(k, v));
    if (req.getCustomtimeouts()) options.setCustomTimeouts(req.getCustomtimeouts());
    options.setPluginDownloadUrl(req.getPlugindownloadurl());
    if (req.hasRetainondelete()) options.setRetainOnDelete(req.getRetainondelete());
    options.setDeletedWith(req.getDeletedwith());
    if (req.getDeletebeforereplacedefined()) {
        options.setDeleteBeforeReplace(req.getDeletebeforereplace());
    }
    options.setAdditionalSecretOutputsList(req.getAdditionalsecretoutputsList());
    options.setImport(req.getImportid());
    return options;
}

/** Writes a transform's options back into the registration. */
export function applyTransformOptions(req: Request, options: Request): void {
    req.setDependenciesList(options.getDependsOnList());
    if (options.hasProtect()) req.setProtect(options.getProtect());
    else req.clearProtect?.();
    req.setIgnorechangesList(options.getIgnoreChangesList());
    req.setReplaceonchangesList(options.getReplaceOnChangesList());
    req.setVersion(options.getVersion());
    req.setAliasesList(options.getAliasesList());
    req.setProvider(options.getProvider());
    req.setCustomtimeouts(options.getCustomTimeouts());
    if (options.hasRetainOnDelete()) req.setRetainondelete(options.getRetainOnDelete());
    else req.clearRetainondelete?.();
    req.setDeletebeforereplacedefined(options.hasDeleteBeforeReplace());
    req.setDeletebeforereplace(options.getDeleteBeforeReplace() ?? false);
    req.setAdditionalsecretoutputsList(options.getAdditionalSecretOutputsList());
    req.setImportid(options.getImport());
}
/* eslint-enable @typescript-eslint/no-explicit-any */
