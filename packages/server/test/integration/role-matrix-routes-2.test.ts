import { describeRouteMatrix } from "./role-matrix-cells.js";

describeRouteMatrix(2, 3);
