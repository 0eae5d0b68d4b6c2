import { describeRouteMatrix } from "./role-matrix-cells.js";

describeRouteMatrix(3, 3);
