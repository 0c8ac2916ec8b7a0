import * as $protobuf from "protobufjs";
import Long = require("long");

export interface IMetadata extends Metadata.$Properties {
}

export class Metadata {
    constructor(properties?: Metadata.$Properties);
    $unknowns?: Uint8Array[];
    uri: string;
    headers: { [k: string]: string };
    static encode(message: Metadata.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): Metadata & Metadata.$Shape;
}

export namespace Metadata {
    interface $Properties {
        uri?: (string|null);
        headers?: ({ [k: string]: string }|null);
        $unknowns?: Uint8Array[];
    }
    type $Shape = Metadata.$Properties;
}

export interface IGrpcSnailJobRequest extends GrpcSnailJobRequest.$Properties {
}

export class GrpcSnailJobRequest {
    constructor(properties?: GrpcSnailJobRequest.$Properties);
    $unknowns?: Uint8Array[];
    reqId: (number|Long);
    metadata?: (Metadata.$Properties|null);
    body: string;
    static encode(message: GrpcSnailJobRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): GrpcSnailJobRequest & GrpcSnailJobRequest.$Shape;
}

export namespace GrpcSnailJobRequest {
    interface $Properties {
        reqId?: (number|Long|null);
        metadata?: (Metadata.$Properties|null);
        body?: (string|null);
        $unknowns?: Uint8Array[];
    }
    type $Shape = GrpcSnailJobRequest.$Properties;
}

export interface IGrpcResult extends GrpcResult.$Properties {
}

export class GrpcResult {
    constructor(properties?: GrpcResult.$Properties);
    $unknowns?: Uint8Array[];
    reqId: (number|Long);
    status: number;
    message: string;
    data: string;
    static encode(message: GrpcResult.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): GrpcResult & GrpcResult.$Shape;
}

export namespace GrpcResult {
    interface $Properties {
        reqId?: (number|Long|null);
        status?: (number|null);
        message?: (string|null);
        data?: (string|null);
        $unknowns?: Uint8Array[];
    }
    type $Shape = GrpcResult.$Properties;
}
